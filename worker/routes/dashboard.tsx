import { Hono } from "hono";
import { ops, type OpName } from "../../protocol/ops.js";
import { hostStatus, runOp } from "../hub/client.js";
import type { Outcome } from "../hub/outcome.js";
import { DashboardPage, type Part } from "../pages/dashboard.js";
import { HealthCards } from "../pages/health.js";
import { HostPage } from "../pages/host.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { AppEnv } from "../types.js";
import { hostsOf, knownHost, measureHost } from "./scope.js";

/** The host's dashboard (link, health, apps, recent changes) and its host page. */
export const dashboardRoutes = new Hono<AppEnv>();
dashboardRoutes.use("/hosts/:host", knownHost);
dashboardRoutes.use("/hosts/:host/host", knownHost);
dashboardRoutes.use("/hosts/:host/health", knownHost);

/** How many history rows to scan for the last changes (reads are recorded too and outnumber them). */
const ACTIVITY_SCAN = 100;
const ACTIVITY_SHOWN = 10;

function part<N extends OpName, T>(outcome: Outcome<N>, historyHref: string, pick: (r: Extract<Outcome<N>, { kind: "ok" }>["result"]) => T): Part<T> {
  if (outcome.kind === "ok") return { ok: true, value: pick(outcome.result) };
  return { ok: false, message: <OutcomeMessage outcome={outcome} historyHref={historyHref} /> };
}

dashboardRoutes.get("/hosts/:host", async (c) => {
  const host = c.req.param("host");
  const sub = c.var.session.sub;
  const historyHref = `/hosts/${host}/history`;
  const [status, apps, domains, health, history] = await Promise.all([
    hostStatus(c.env, host),
    runOp(c.env, host, "apps.list", {}, sub),
    runOp(c.env, host, "domains.all", {}, sub),
    runOp(c.env, host, "server.health", {}, sub),
    runOp(c.env, host, "history.list", { limit: ACTIVITY_SCAN }, sub),
  ]);
  const page = (
    <DashboardPage
      host={status}
      hosts={hostsOf(c)}
      apps={part(apps, historyHref, (r) => r.apps)}
      domains={domains.kind === "ok" ? domains.result.domains : undefined}
      health={part(health, historyHref, (r) => r)}
      activity={part(history, historyHref, (r) => r.entries.filter((e) => Object.hasOwn(ops, e.op) && ops[e.op as OpName].mutates).slice(0, ACTIVITY_SHOWN))}
    />
  );
  // The apps are the page's main content: when they could not be read, say so in the status too.
  return c.html(page, apps.kind === "ok" ? 200 : outcomeStatus(apps));
});

/** The health cards alone, for the dashboard's 30-second refresh. */
dashboardRoutes.get("/hosts/:host/health", async (c) => {
  const host = c.req.param("host");
  const health = await runOp(c.env, host, "server.health", {}, c.var.session.sub);
  if (health.kind !== "ok") return c.html(<OutcomeMessage outcome={health} historyHref={`/hosts/${host}/history`} />, outcomeStatus(health));
  c.header("cache-control", "no-store");
  return c.html(<HealthCards now={health.result.now} series={health.result.series} />);
});

dashboardRoutes.get("/hosts/:host/host", async (c) => {
  const row = await measureHost(c.env, c.req.param("host"), c.var.session.sub);
  return c.html(<HostPage row={row} hosts={hostsOf(c)} />);
});
