import { app } from "./app.js";
import { checkAllHosts } from "./alerts/scheduled.js";
import type { Env } from "./env.js";

export { AuthGuard } from "./guard/auth-guard.js";
export { HostHub } from "./hub/host-hub.js";
export { HostRegistry } from "./registry/host-registry.js";
export { Team } from "./team/team.js";

export default {
  fetch: app.fetch,
  /**
   * The Cron Trigger: alert checks of every host (worker/alerts/scheduled.ts). The promise is also
   * returned, so a trigger by hand (`wrangler dev --test-scheduled`, GET /__scheduled) answers once
   * the checks have ended.
   */
  scheduled(controller, env, ctx) {
    const checked = checkAllHosts(env, controller.scheduledTime);
    ctx.waitUntil(checked);
    return checked;
  },
} satisfies ExportedHandler<Env>;
