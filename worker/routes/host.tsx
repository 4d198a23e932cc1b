import { Hono } from "hono";
import { appName, hostId } from "../../protocol/names.js";
import { hostStatus, runOp } from "../hub/client.js";
import { streamOp, wantsStream } from "../hub/stream.js";
import { liveRenderer } from "../pages/live.js";
import { AppsPage, RestartResult } from "../pages/apps.js";
import { ErrorPage } from "../pages/errors.js";
import { HistoryPage } from "../pages/history.js";
import { HostsPage, type HostRow } from "../pages/hosts.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { AppEnv } from "../types.js";

/** Pages scoped to one host: `/hosts/:host/…`. The host must be one the edge knows. */
export const hostRoutes = new Hono<AppEnv>();

/** Every host the edge knows, with its link state and a measured round trip. */
hostRoutes.get("/hosts", async (c) => {
  const rows = await Promise.all(
    Object.keys(c.var.config.relayTokenHashes).map(async (host): Promise<HostRow> => {
      const status = await hostStatus(c.env, host);
      if (!status.connected) return { status: { ...status, host }, latencyMs: null };
      const started = Date.now();
      const ping = await runOp(c.env, host, "relay.ping", {}, c.var.session.sub);
      return { status, latencyMs: ping.kind === "ok" ? Date.now() - started : null };
    }),
  );
  return c.html(<HostsPage rows={rows} />);
});

hostRoutes.use("/hosts/:host/*", async (c, next) => {
  const host = hostId.safeParse(c.req.param("host"));
  if (!host.success || !Object.hasOwn(c.var.config.relayTokenHashes, host.data)) {
    return c.html(<ErrorPage title="No such host">This edge has no host by that name.</ErrorPage>, 404);
  }
  await next();
});

const hostsOf = (c: { var: AppEnv["Variables"] }) => Object.keys(c.var.config.relayTokenHashes);

/** The host's link state as JSON (for scripts and tests). */
hostRoutes.get("/hosts/:host/status.json", async (c) => c.json(await hostStatus(c.env, c.req.param("host"))));

hostRoutes.get("/hosts/:host", async (c) => {
  const host = c.req.param("host");
  const [status, outcome] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "apps.list", {}, c.var.session.sub)]);
  if (outcome.kind !== "ok") {
    return c.html(
      <ErrorPage title={`Apps on ${host}`} host={status} hosts={hostsOf(c)}>
        <OutcomeMessage outcome={outcome} historyHref={`/hosts/${host}/history`} />
      </ErrorPage>,
      outcomeStatus(outcome),
    );
  }
  return c.html(<AppsPage host={status} hosts={hostsOf(c)} apps={outcome.result.apps} />);
});

hostRoutes.post("/hosts/:host/apps/:app/restart", async (c) => {
  const host = c.req.param("host");
  const app = appName.safeParse(c.req.param("app"));
  if (!app.success) return c.html(<OutcomeMessage outcome={{ kind: "error", code: "bad_request", message: app.error.issues[0]!.message }} historyHref="" />, 400);
  const historyHref = `/hosts/${host}/history`;
  if (wantsStream(c.req.header("accept"))) {
    const name = app.data;
    return streamOp(c.env, c.executionCtx, host, "apps.restart", { app: name }, c.var.session.sub, liveRenderer({
      historyHref,
      success: (o) => <RestartResult app={name} result={{ ...o.result, output: "" }} />,
    }));
  }
  const outcome = await runOp(c.env, host, "apps.restart", { app: app.data }, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref} />, outcomeStatus(outcome));
  return c.html(<RestartResult app={app.data} result={outcome.result} />);
});

hostRoutes.get("/hosts/:host/history", async (c) => {
  const host = c.req.param("host");
  const [status, outcome] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "history.list", { limit: 50 }, c.var.session.sub)]);
  if (outcome.kind !== "ok") {
    return c.html(
      <ErrorPage title={`History of ${host}`} host={status} hosts={hostsOf(c)}>
        <OutcomeMessage outcome={outcome} historyHref={`/hosts/${host}/history`} />
      </ErrorPage>,
      outcomeStatus(outcome),
    );
  }
  return c.html(<HistoryPage host={status} hosts={hostsOf(c)} entries={outcome.result.entries} total={outcome.result.total} />);
});
