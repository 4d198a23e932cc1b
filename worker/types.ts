import type { Session } from "./auth/session.js";
import type { Config, Env } from "./env.js";

/** Hono's environment for every route of the edge. */
export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; session: Session };
};
