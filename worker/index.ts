import { app } from "./app.js";
import { checkAllHosts } from "./alerts/scheduled.js";
import type { Env } from "./env.js";

export { AuthGuard } from "./guard/auth-guard.js";
export { HostHub } from "./hub/host-hub.js";
export { HostRegistry } from "./registry/host-registry.js";
export { Team } from "./team/team.js";

export default {
  fetch: app.fetch,
  /** The Cron Trigger: alert checks of every host (worker/alerts/scheduled.ts). */
  scheduled(controller, env, ctx) {
    ctx.waitUntil(checkAllHosts(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
