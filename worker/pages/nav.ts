import { tryGetContext } from "hono/context-storage";
import type { OpName } from "../../protocol/ops.js";
import { allowed, mayAct, seesHost, type Action } from "../../protocol/policy.js";
import { principalOf, type PolicyUser } from "../team/principal.js";

/** The pages of one host, as the nav names them. */
export type HostSection = "dashboard" | "databases" | "networks" | "plugins" | "cron" | "releases" | "history" | "host";

/** One of a host's pages in the nav: its label, its path after /hosts/:host, and the read it cannot do without (null: any grant on the host). */
export interface SectionLink {
  key: HostSection;
  label: string;
  path: string;
  reads: { op: OpName; args: Record<string, unknown> } | null;
}

/**
 * The pages of one host, in nav order. Each names the host-wide read its route makes first
 * (worker/routes/<section>): the nav offers the page only to whom the policy allows that read, so
 * a user granted only some apps is not sent to a page that would answer 403.
 */
export const HOST_SECTIONS: readonly SectionLink[] = [
  { key: "dashboard", label: "Dashboard", path: "", reads: null },
  { key: "databases", label: "Databases", path: "/databases", reads: { op: "databases.overview", args: {} } },
  { key: "networks", label: "Networks", path: "/networks", reads: { op: "network.list", args: {} } },
  { key: "plugins", label: "Plugins", path: "/plugins", reads: { op: "plugins.list", args: {} } },
  { key: "cron", label: "Cron", path: "/cron", reads: { op: "cron.host", args: {} } },
  { key: "releases", label: "Releases", path: "/releases", reads: { op: "releases.recent", args: {} } },
  { key: "history", label: "History", path: "/history", reads: { op: "history.list", args: {} } },
  { key: "host", label: "Host", path: "/host", reads: { op: "host.settings", args: {} } },
];

/** What the navigation offers one user: each answer is the one policy's (protocol/policy.ts). */
export interface Nav {
  /** May they take `action` (the Hosts, Users and Activity pages are each one)? */
  may(action: Action): boolean;
  /** Do they see host `host` at all (a grant on it or one of its apps)? */
  sees(host: string): boolean;
  /** Is the host's page `section` theirs to open? */
  opens(host: string, section: HostSection): boolean;
}

/**
 * The user signed in for this request (read where the session is: worker/app.tsx; kept for the
 * request by hono/context-storage), or null outside a signed-in request.
 */
export function signedInUser(): PolicyUser | null {
  // typed by the one variable read here: the edge's whole AppEnv would pull its bindings into every page's types
  return tryGetContext<{ Variables: { user?: PolicyUser } }>()?.var.user ?? null;
}

/** The nav of `user`; with no user, nothing a permission guards (it fails closed). */
export function navOf(user: PolicyUser | null): Nav {
  if (!user) return { may: () => false, sees: () => false, opens: (_host, section) => section === "dashboard" };
  return {
    may: (action) => mayAct(user.role, action).allowed,
    sees: (host) => seesHost(principalOf(user, host)),
    opens(host, section) {
      const p = principalOf(user, host);
      const reads = HOST_SECTIONS.find((s) => s.key === section)?.reads;
      return seesHost(p) && (reads === null || (reads !== undefined && allowed(p, reads.op, reads.args)));
    },
  };
}

/** The nav of this request's signed-in user. */
export const nav = (): Nav => navOf(signedInUser());
