import { Hono } from "hono";
import { mayOf } from "../pages/may.js";
import type { HostClient } from "../hub/client.js";
import { HostPage } from "../pages/host.js";
import { HostSettingsSection } from "../pages/host-settings.js";
import { hostSettingsRoutes } from "./host-settings.js";
import { historyHref } from "./scope.js";
import { neverConnected } from "../pages/waiting.js";
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
  .get("/host", async (c) => {
    const { host } = c.var;
    const [row, settings, plugins] = await Promise.all([measureHost(host), host.run("host.settings", {}), host.run("plugins.list", {})]);
    return c.html(
      <HostPage row={row} hosts={c.var.hosts}>
        <HostSettingsSection host={host.id} settings={settings} plugins={plugins} historyHref={historyHref(c)} may={mayOf(host)} />
      </HostPage>,
    );
  })
  .route("/host/settings", hostSettingsRoutes)
  .get("/status.json", async (c) => c.json(await c.var.host.status()))
  /** The waiting page's poll: nothing (204) while the relay has never connected, then HX-Refresh to show the real page. */
  .get("/waiting", async (c) => {
    c.header("cache-control", "no-store");
    if (neverConnected(await c.var.host.status())) return c.body(null, 204);
    c.header("hx-refresh", "true");
    return c.body(null, 200);
  });
