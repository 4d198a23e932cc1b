import { Hono } from "hono";
import type { HostClient } from "../hub/client.js";
import { HostPage } from "../pages/host.js";
import type { HostRow } from "../pages/hosts.js";
import type { HostEnv } from "../types.js";

/** A host's link state plus a measured round trip edge → relay → edge (when connected). */
export async function measureHost(host: HostClient): Promise<HostRow> {
  const status = await host.status();
  if (!status.connected) return { status: { ...status, host: host.id }, latencyMs: null };
  const started = Date.now();
  const ping = await host.run("relay.ping", {});
  return { status, latencyMs: ping.kind === "ok" ? Date.now() - started : null };
}

/** One host's own page, `/hosts/:host/host`, and its link state as JSON (for scripts and tests). */
export const hostRoutes = new Hono<HostEnv>()
  .get("/host", async (c) => c.html(<HostPage row={await measureHost(c.var.host)} hosts={c.var.hosts} />))
  .get("/status.json", async (c) => c.json(await c.var.host.status()));
