import { Hono } from "hono";
import { ops, type OpName } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";
import { DashboardPage, type Part } from "../pages/dashboard.js";
import { HealthCards } from "../pages/health.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { failure } from "./answers.js";
import { historyHref } from "./scope.js";

/** How many history rows to scan for the last changes (reads are recorded too and outnumber them). */
const ACTIVITY_SCAN = 100;
const ACTIVITY_SHOWN = 10;

function part<N extends OpName, T>(outcome: Outcome<N>, historyHref: string, pick: (r: Extract<Outcome<N>, { kind: "ok" }>["result"]) => T): Part<T> {
  if (outcome.kind === "ok") return { ok: true, value: pick(outcome.result) };
  return { ok: false, message: <OutcomeMessage outcome={outcome} historyHref={historyHref} /> };
}

/** The host's dashboard, `/hosts/:host` (link, health, apps, recent changes), and its health cards alone. */
export const dashboardRoutes = new Hono<HostEnv>()
  .get("/", async (c) => {
    const { host } = c.var;
    const history = historyHref(c);
    const [status, apps, domains, health, recent] = await Promise.all([
      host.status(),
      host.run("apps.list", {}),
      host.run("domains.all", {}),
      host.run("server.health", {}),
      host.run("history.list", { limit: ACTIVITY_SCAN }),
    ]);
    const page = (
      <DashboardPage
        host={status}
        hosts={c.var.hosts}
        apps={part(apps, history, (r) => r.apps)}
        domains={domains.kind === "ok" ? domains.result.domains : undefined}
        health={part(health, history, (r) => r)}
        activity={part(recent, history, (r) => r.entries.filter((e) => Object.hasOwn(ops, e.op) && ops[e.op as OpName].mutates).slice(0, ACTIVITY_SHOWN))}
      />
    );
    // The apps are the page's main content: when they could not be read, say so in the status too.
    return c.html(page, apps.kind === "ok" ? 200 : outcomeStatus(apps));
  })
  /** The health cards alone, for the dashboard's 30-second refresh. */
  .get("/health", async (c) => {
    const health = await c.var.host.run("server.health", {});
    if (health.kind !== "ok") return failure(c, health);
    c.header("cache-control", "no-store");
    return c.html(<HealthCards now={health.result.now} series={health.result.series} />);
  });
