import { Hono } from "hono";
import { z } from "zod";
import { mayAct, type Principal } from "../../protocol/policy.js";
import type { Alert } from "../alerts/alert-store.js";
import { hubFor } from "../hub/stub.js";
import { AlertsSection } from "../pages/alerts.js";
import type { HostEnv } from "../types.js";
import { hostUrl } from "../urls.js";
import { valid } from "./input.js";

/** The alerts the signed-in user may see on this host ([] when its hub cannot be reached). */
export async function alertsOf(env: HostEnv["Bindings"], host: string, principal: Principal): Promise<Alert[]> {
  try {
    return (await hubFor(env, host).alertList(principal)) as Alert[];
  } catch {
    return [];
  }
}

/** A host's alerts (`/hosts/:host/alerts`): the dashboard's section alone, and Acknowledge. */
export const alertRoutes = new Hono<HostEnv>()
  .get("/alerts", async (c) => {
    const { host, user } = c.var;
    c.header("cache-control", "no-store");
    return c.html(
      <AlertsSection host={host.id} alerts={await alertsOf(c.env, host.id, host.principal)} manages={mayAct(user.role, "alerts.manage").allowed} />,
    );
  })
  .post("/alerts/:id/ack", valid("param", z.object({ id: z.coerce.number().int().min(1) })), async (c) => {
    const { host, user } = c.var;
    await hubFor(c.env, host.id).alertAck(host.principal, c.req.valid("param").id);
    if (!c.req.header("hx-request")) return c.redirect(hostUrl(host.id), 303);
    c.header("cache-control", "no-store");
    return c.html(
      <AlertsSection host={host.id} alerts={await alertsOf(c.env, host.id, host.principal)} manages={mayAct(user.role, "alerts.manage").allowed} />,
    );
  });
