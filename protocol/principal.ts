import { z } from "zod";
import { appName } from "./names.js";

/**
 * Who asks for an op, as the policy (protocol/policy.ts) reads it and each signed op carries it
 * (protocol/frames.ts opClaims). Its own module so the frames can name it without importing the
 * op catalog.
 */

/** The roles, most powerful first. */
export const ROLES = ["owner", "admin", "deployer", "viewer"] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/**
 * What a user was granted on ONE host, as the principal and each signed op carry it:
 * - `host`: the whole host (every app on it, and its host-wide ops);
 * - `apps`: single apps on it (an app-scoped op on one of them);
 * - `hostRoot`: host-root ops (they reach beyond one app); counts only with `host`;
 * - `reveal`: ops that show a secret (never for a viewer).
 * Owners and admins hold everything on every host whatever their grants say.
 */
export const hostGrants = z
  .object({
    host: z.boolean(),
    hostRoot: z.boolean(),
    reveal: z.boolean(),
    apps: z.array(appName).max(500),
  })
  .strict();
export type HostGrants = z.infer<typeof hostGrants>;

/** No grant at all on a host. */
export const NO_GRANTS: HostGrants = Object.freeze({ host: false, hostRoot: false, reveal: false, apps: [] as string[] });
/** Everything on a host (what an owner or admin holds). */
export const ALL_GRANTS: HostGrants = Object.freeze({ host: true, hostRoot: true, reveal: true, apps: [] as string[] });

/**
 * Who asks, on one host: `user` (a stable id; for the relay the name history records), `role`,
 * and `grants` on this host. Built by the edge from the signed-in user (worker/team/principal.ts),
 * and by the relay from the op's signed claims.
 */
export interface Principal {
  user: string;
  role: Role;
  grants: HostGrants;
}

/**
 * `p` narrowed to one app on its host (an API token scoped to an app): grants on that app only,
 * and only if `p` held one (on the app or its host); no host-wide or host-root ops. An owner or
 * admin, whose role ignores grants, acts as a deployer of the app (keeping reveal): never more
 * than `p` may do.
 */
export function narrowToApp(p: Principal, app: string): Principal {
  const admin = p.role === "owner" || p.role === "admin";
  const sees = admin || p.grants.host || p.grants.apps.includes(app);
  return {
    user: p.user,
    role: admin ? "deployer" : p.role,
    grants: { host: false, hostRoot: false, reveal: sees && (admin || p.grants.reveal), apps: sees ? [app] : [] },
  };
}
