import type { Env } from "../env.js";
import { hubFor } from "../hub/stub.js";
import { errText, log } from "../log.js";
import { hostRegistry } from "../registry/client.js";

/**
 * The Cron Trigger (`[triggers] crons` in wrangler.toml): every host the registry knows is checked
 * by its own HostHub at `now` (the trigger's scheduled time), all at once; one host failing does not
 * stop the others. It runs on the edge, so a host that is down or out of memory is still checked.
 */
export async function checkAllHosts(env: Env, now: number): Promise<void> {
  const hosts = await hostRegistry(env).list();
  await Promise.all(
    hosts.map(async (h) => {
      try {
        const r = await hubFor(env, h.id).checkAlerts(h.id, h.name, now);
        if (r.sent > 0 || r.open > 0) log.info("alerts checked", { host: h.id, open: r.open, sent: r.sent });
      } catch (e) {
        log.error("alert check failed", { host: h.id, err: errText(e) });
      }
    }),
  );
}
