import { ALL_GRANTS, isAdminRole, type HostGrants, type Principal, type Role } from "../../protocol/policy.js";
import { narrowToApp } from "../../protocol/principal.js";

/**
 * One grant as the owner gives it: a whole host (`app` null), or one app on a host. `hostRoot`
 * (host-root ops) counts only on a whole-host grant; `reveal` lets a deployer (never a viewer) see
 * secrets where the grant reaches.
 */
export interface Grant {
  host: string;
  app: string | null;
  hostRoot: boolean;
  reveal: boolean;
}

/** A user as the policy needs them: their id, the name ops are signed with, role and grants. */
export interface PolicyUser {
  id: string;
  /** What history and the relay record as who asked (the e-mail, or "admin" for the first owner). */
  name: string;
  role: Role;
  grants: readonly Grant[];
}

/** What `user`'s grants give them on `host`, folded into the shape the policy and each signed op carry. */
export function grantsOn(user: Pick<PolicyUser, "role" | "grants">, host: string): HostGrants {
  if (isAdminRole(user.role)) return ALL_GRANTS;
  const mine = user.grants.filter((g) => g.host === host);
  const whole = mine.filter((g) => g.app === null);
  return {
    host: whole.length > 0,
    hostRoot: whole.some((g) => g.hostRoot),
    reveal: mine.some((g) => g.reveal),
    apps: [...new Set(mine.flatMap((g) => (g.app === null ? [] : [g.app])))].sort(),
  };
}

/**
 * The principal of `user` on `host`: what the HostHub's policy check reads and each op it signs
 * carries. The one way to turn a user into a principal (sessions, and later API tokens, which
 * may only narrow it).
 */
export function principalOf(user: PolicyUser, host: string): Principal {
  return { user: user.name, role: user.role, grants: grantsOn(user, host) };
}

/**
 * The principal an API token acts as on `host`: its user's (read afresh for each call), named
 * "USER (token NAME)" so history and logs tell the token's calls apart, narrowed to the token's
 * app when it has one (protocol/principal.ts narrowToApp). Null on any host but the token's own.
 */
export function tokenPrincipal(user: PolicyUser, token: { name: string; host: string; app: string | null }, host: string): Principal | null {
  if (token.host !== host) return null;
  const p = { ...principalOf(user, host), user: `${user.name} (token ${token.name})`.slice(0, 128) };
  return token.app === null ? p : narrowToApp(p, token.app);
}
