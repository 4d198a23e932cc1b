import type { Session } from "./auth/session.js";
import type { Config, Env } from "./env.js";
import type { HostClient } from "./hub/client.js";
import type { HostRef } from "./hub/outcome.js";
import type { PolicyUser } from "./team/principal.js";

export type { HostRef };

/**
 * Hono's environment for every route of the edge (behind the session check: `session` is set, and
 * `user`, the signed-in user whose role and grants the one policy reads).
 */
export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; session: Session; user: PolicyUser };
};

/**
 * Routes under `/hosts/:host`: the host guard has checked `:host` and set `host` (its client for
 * this user) and `hosts` (every host the edge knows, for the switcher). Under an app's routes
 * (`apps/:app`) the app guard has also set `app`, a valid app name.
 */
export type HostEnv = {
  Bindings: Env;
  Variables: AppEnv["Variables"] & { host: HostClient; hosts: HostRef[]; app?: string };
};

/** An app's routes (`/hosts/:host` + `/apps/:app`): as `HostEnv`, and `app` is set. */
export type HostAppEnv = {
  Bindings: Env;
  Variables: HostEnv["Variables"] & { app: string };
};
