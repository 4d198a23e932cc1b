import { type Principal, type Role } from "./principal.js";
import { appOf, opNames, ops, type OpName } from "./ops.js";
import { DEPLOYER_AREAS } from "./ops/spec.js";

/**
 * The ONE policy of who may do what. Pure: the edge runs it where the HostHub signs an op
 * (worker/hub/host-hub.ts), routes and pages ask it which actions to show, and the relay runs it
 * again on the claims each signed op carries (defence in depth against an edge bug). It reads only
 * each op's declared access (protocol/ops/spec.ts OpAccess) and a principal.
 */

export { ALL_GRANTS, hostGrants, NO_GRANTS, role, ROLES, type HostGrants, type Principal, type Role } from "./principal.js";

/** The policy's answer: allowed, or refused with a reason a person can read (shown with a 403). */
export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const refuse = (reason: string): Decision => ({ allowed: false, reason });

/** Whether a role holds every op on every host (its grants are not consulted). */
export function isAdminRole(r: Role): boolean {
  return r === "owner" || r === "admin";
}

/**
 * May `p` run `op` with `args` on the host its grants are for? Owner and admin: always. Otherwise:
 * 1. scope: an app-scoped op needs a grant on the app its `args.app` names, or on the host; a
 *    host-scoped op needs the host, unless it declares `appFilter` and its `args.filter.app`
 *    narrows it to an app granted (an app's own history);
 * 2. a change needs a deployer and an area in DEPLOYER_AREAS (viewers change nothing), or a
 *    host-root grant for a host-root op;
 * 3. a host-root op (read or change) needs the host-root grant, which counts only with the host;
 * 4. an op that reveals a secret needs the reveal grant, and never goes to a viewer.
 * An unknown op is refused.
 */
export function decide(p: Principal, op: string, args: unknown): Decision {
  if (!Object.hasOwn(ops, op)) return refuse(`${op} is not an op this dashboard knows`);
  const spec = ops[op as OpName];
  const access = spec.access;
  if (isAdminRole(p.role)) return allow;
  const g = p.grants;
  if (access.scope === "app") {
    const app = appOf(args);
    if (app === null) return refuse(`${op} names no app`);
    if (!g.host && !g.apps.includes(app)) return refuse(`you have no grant on app ${app} on this host`);
  } else if (!g.host) {
    const app = access.appFilter ? appFilterOf(args) : null;
    if (app === null) return refuse(`${op} acts on the whole host, and you have no grant on this host`);
    if (!g.apps.includes(app)) return refuse(`you have no grant on app ${app} on this host`);
  }
  const hostRoot = access.hostRoot && g.host && g.hostRoot;
  if (access.hostRoot && !hostRoot) return refuse(`${op} reaches beyond one app into the host: it needs a host-root grant on this host`);
  if (spec.mutates) {
    if (p.role === "viewer") return refuse(`viewers change nothing (${op} is a change)`);
    if (!DEPLOYER_AREAS.includes(access.area) && !hostRoot) return refuse(`deployers may not change ${access.area} (${op})`);
  }
  if (access.reveals) {
    if (p.role === "viewer") return refuse(`viewers may not see secrets (${op} shows one)`);
    if (!g.reveal) return refuse(`${op} shows a secret: it needs the reveal grant on this host`);
  }
  return allow;
}

/** The app an op's `args.filter.app` narrows it to, or null. */
function appFilterOf(args: unknown): string | null {
  const filter = args !== null && typeof args === "object" && "filter" in args ? args.filter : null;
  return appOf(filter);
}

/** `decide` as a yes/no, for pages choosing which actions to show. */
export function allowed(p: Principal, op: OpName, args: unknown): boolean {
  return decide(p, op, args).allowed;
}

/** The ops `p` may run on an app (`args: { app }`), for pages and the API to list actions. */
export function opsAllowedOn(p: Principal, app: string): OpName[] {
  return opNames.filter((n) => allowed(p, n, { app }));
}

/**
 * Whether `p` may look at this host at all: any grant on it (the host or one of its apps), or an
 * owner's or admin's role. A host without one is not listed to them.
 */
export function seesHost(p: Principal): boolean {
  return isAdminRole(p.role) || p.grants.host || p.grants.apps.length > 0;
}

/** Whether `p` may see `app` on this host (a grant on it, or on the host). */
export function seesApp(p: Principal, app: string): boolean {
  return isAdminRole(p.role) || p.grants.host || p.grants.apps.includes(app);
}

/**
 * The actions that are not ops, each a named permission: managing users (invite, roles, grants,
 * suspend, remove; everyone's sign-ins), managing hosts (add, rename, remove, enrollment, relay
 * tokens), rotating the op-signing key, and configuring single sign-on. Only an owner holds them.
 */
export const ACTIONS = ["users.manage", "hosts.manage", "keys.rotate", "sso.manage", "activity.all", "alerts.manage"] as const;
export type Action = (typeof ACTIONS)[number];

const actionRoles: Record<Action, readonly Role[]> = {
  "users.manage": ["owner"],
  "hosts.manage": ["owner"],
  "keys.rotate": ["owner"],
  "sso.manage": ["owner"],
  // Every user's activity across hosts: the owner, and admins (who may act on every host anyway).
  "activity.all": ["owner", "admin"],
  // Where alerts go (channels, their URLs and keys): the owner's settings.
  "alerts.manage": ["owner"],
};

/** May a user of role `r` take `action` (one that is not an op)? */
export function mayAct(r: Role, action: Action): Decision {
  return actionRoles[action].includes(r) ? allow : refuse(`only ${actionRoles[action].join(" or ")} may do this (${action})`);
}
