import { Hono } from "hono";
import { z } from "zod";
import { appName } from "../../protocol/names.js";
import { hostStatus, runOp } from "../hub/client.js";
import { streamOp, wantsStream } from "../hub/stream.js";
import { liveRenderer } from "../pages/live.js";
import { AppCreated, RestartResult } from "../pages/apps.js";
import { HostsPage } from "../pages/hosts.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import { badInput, formFields } from "./app-kit.js";
import type { AppEnv } from "../types.js";
import { hostsOf, knownHost, measureHost } from "./scope.js";

/** Pages scoped to one host: `/hosts/:host/…`. The host must be one the edge knows. */
export const hostRoutes = new Hono<AppEnv>();

/** Every host the edge knows, with its link state and a measured round trip. */
hostRoutes.get("/hosts", async (c) => {
  const rows = await Promise.all(hostsOf(c).map((host) => measureHost(c.env, host, c.var.session.sub)));
  return c.html(<HostsPage rows={rows} />);
});

hostRoutes.use("/hosts/:host/*", knownHost);

/** The host's link state as JSON (for scripts and tests). */
hostRoutes.get("/hosts/:host/status.json", async (c) => c.json(await hostStatus(c.env, c.req.param("host"))));

hostRoutes.post("/hosts/:host/apps/:app/restart", async (c) => {
  const host = c.req.param("host");
  const app = appName.safeParse(c.req.param("app"));
  if (!app.success) return c.html(<OutcomeMessage outcome={{ kind: "error", code: "bad_request", message: app.error.issues[0]!.message }} historyHref="" />, 400);
  const historyHref = `/hosts/${host}/history`;
  if (wantsStream(c.req.header("accept"))) {
    const name = app.data;
    return streamOp(c.env, c.executionCtx, host, "apps.restart", { app: name }, c.var.session.sub, liveRenderer({
      historyHref,
      success: (o) => <RestartResult app={name} result={o.result} />,
    }));
  }
  const outcome = await runOp(c.env, host, "apps.restart", { app: app.data }, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={historyHref} />, outcomeStatus(outcome));
  return c.html(<RestartResult app={app.data} result={outcome.result} />);
});

const createAppForm = z.object({ name: z.string().trim().pipe(appName) });

/** `apps:create NAME` from the dashboard's form; the answer says how to deploy the new app. */
hostRoutes.post("/hosts/:host/apps", async (c) => {
  const host = c.req.param("host");
  const form = createAppForm.safeParse(await formFields(c));
  if (!form.success) return badInput(c, form.error);
  const outcome = await runOp(c.env, host, "apps.create", { app: form.data.name }, c.var.session.sub);
  if (outcome.kind !== "ok") return c.html(<OutcomeMessage outcome={outcome} historyHref={`/hosts/${host}/history`} />, outcomeStatus(outcome));
  return c.html(<AppCreated host={host} app={form.data.name} result={outcome.result} />);
});
