import { Hono } from "hono";
import { hostStatus, runOp } from "../hub/client.js";
import { ErrorPage } from "../pages/errors.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import { PluginsPage } from "../pages/plugins.js";
import type { AppEnv } from "../types.js";
import { hostsOf, knownHost } from "./scope.js";

/** The host's Dokku plugins (read-only). */
export const pluginRoutes = new Hono<AppEnv>();
pluginRoutes.use("/hosts/:host/plugins", knownHost);

pluginRoutes.get("/hosts/:host/plugins", async (c) => {
  const host = c.req.param("host");
  const [status, outcome] = await Promise.all([hostStatus(c.env, host), runOp(c.env, host, "plugins.list", {}, c.var.session.sub)]);
  if (outcome.kind !== "ok") {
    return c.html(
      <ErrorPage title={`Plugins on ${host}`} host={status} hosts={hostsOf(c)} current="plugins">
        <OutcomeMessage outcome={outcome} historyHref={`/hosts/${host}/history`} />
      </ErrorPage>,
      outcomeStatus(outcome),
    );
  }
  return c.html(<PluginsPage host={status} hosts={hostsOf(c)} plugins={outcome.result.plugins} />);
});
