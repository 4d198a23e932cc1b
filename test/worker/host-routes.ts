import { SELF } from "cloudflare:test";
import { app as edge } from "../../worker/app.js";
import { hostsRoutes } from "../../worker/routes/hosts.js";
import { principalOf, type PolicyUser } from "../../worker/team/principal.js";
import type { Principal } from "../../protocol/policy.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { inviteAndJoin, teamStub } from "./team-support.js";

/**
 * The routes of one host as the edge's own route table has them (so a route added later is in
 * every matrix without anyone listing it), how to fill in their parameters, and the team members
 * the matrices act as. Shared by the route matrices and the test of what pages offer.
 */

/** A value for each kind of path parameter, by name; `:app` and `:host` are the ones under test. */
const PARAMS: Record<string, string> = {
  action: "rebuild",
  plugin: "postgres",
  service: "db",
  id: "1",
  number: "1",
  opId: "00000000-0000-4000-8000-000000000000",
  file: "export.csv",
};
/** A database route's `:action{link|unlink}` and the like: the first alternative its pattern allows. */
function paramValue(name: string, pattern: string | undefined, app: string, host: string): string {
  if (name === "host") return host;
  if (name === "app") return app;
  if (pattern) {
    const first = /^([a-z-]+)(?:\||$)/.exec(pattern)?.[1];
    if (first) return first;
    if (pattern.startsWith("export")) return "export.csv";
  }
  return PARAMS[name] ?? "x";
}

/** `/hosts/:host/apps/:app/...` filled in for `app` on `host`. */
export function fill(path: string, app: string, host: string): string {
  return path.replace(/:([a-zA-Z]+)(\{([^}]*)\})?/g, (_m, name: string, _b, pattern: string | undefined) =>
    encodeURIComponent(paramValue(name, pattern, app, host)),
  );
}

/**
 * The owner's changes to the host record itself (rename, new token or code, removal: `hostsRoutes`,
 * the policy's `hosts.manage`, no op signed): doing them would cut the relay off the rest of a
 * matrix; host-registry.test.ts and the policy's tests hold them.
 */
export const HOST_RECORD_CHANGES = new Set(hostsRoutes.routes.filter((r) => r.method === "POST").map((r) => `/hosts${r.path}`));
/** The owner's pages about the host record (its link wait, the token and removal confirmations): the policy's `hosts.manage`. */
export const HOST_RECORD_PAGES = new Set(hostsRoutes.routes.filter((r) => r.method === "GET").map((r) => `/hosts${r.path}`));

/** The routes of one host by method (not the API's or the hooks'), each once. */
function hostRoutes(method: "GET" | "POST") {
  return [
    ...new Map(
      edge.routes
        .filter((r) => r.method === method && /\/:host\b/.test(r.path) && !r.path.startsWith("/api/") && !r.path.startsWith("/hooks/"))
        .map((r) => [r.path, r]),
    ).values(),
  ].map((r) => r.path);
}

/** Every route of one host that changes something (POST), the host record's own changes left out. */
export const POST_ROUTES = hostRoutes("POST").filter((p) => !HOST_RECORD_CHANGES.has(p));
/** Every page and fragment of one host (GET), the relay's own door left out. */
export const GET_ROUTES = hostRoutes("GET").filter((p) => !p.startsWith("/relay/"));

/** The POST route pattern `path` (a filled-in URL path) is served by, or null. */
export function postRouteOf(path: string): string | null {
  const all = hostRoutes("POST");
  const re = (p: string) => new RegExp(`^${p.replace(/:[a-zA-Z]+(\{([^}]*)\})?/g, (_m, _b, pat: string | undefined) => (pat ? `(?:${pat})` : "[^/]+"))}$`);
  return all.find((p) => re(p).test(path)) ?? null;
}

/**
 * The members the matrices act as: the first owner, an admin, and a deployer and a viewer granted
 * the whole host `demo`, a deployer granted host-root there too, and a deployer and a viewer
 * granted only app `web` on it (each grant with the reveal permission, which a viewer never uses).
 */
export const MEMBERS = ["owner", "admin", "deployer", "viewer", "deployer-root", "app-deployer", "app-viewer"] as const;
export type Member = (typeof MEMBERS)[number];

const SETUP: Record<Exclude<Member, "owner">, { role: string; grant: Record<string, string> }> = {
  admin: { role: "admin", grant: {} },
  deployer: { role: "deployer", grant: { host: "demo", reveal: "on" } },
  viewer: { role: "viewer", grant: { host: "demo" } },
  "deployer-root": { role: "deployer", grant: { host: "demo", hostRoot: "on", reveal: "on" } },
  "app-deployer": { role: "deployer", grant: { host: "demo", app: "web", reveal: "on" } },
  "app-viewer": { role: "viewer", grant: { host: "demo", app: "web" } },
};

/** A member's session and what the policy reads of them. */
export interface Signed {
  cookie: string;
  user: PolicyUser;
  /** Their principal on `host`. */
  on(host: string): Principal;
}

/**
 * Sign every member in (inviting them through the owner's Users page, `tag` keeping each test
 * file's e-mails apart), and add a second host, `elsewhere`, that nobody but owners and admins holds.
 */
export async function signInMembers(tag: string): Promise<Record<Member, Signed>> {
  const owner = await loggedInCookie();
  const out: Partial<Record<Member, Signed>> = {};
  const signed = async (cookie: string, id: string): Promise<Signed> => {
    const user = (await teamStub().get(id)) as PolicyUser;
    return { cookie, user, on: (host) => principalOf(user, host) };
  };
  out.owner = await signed(owner, "admin");
  for (const m of MEMBERS.filter((m) => m !== "owner")) {
    const { role, grant } = SETUP[m];
    const grants = Object.keys(grant).length > 0 ? [grant] : [];
    const joined = await inviteAndJoin(owner, `${m}-${tag}@example.com`, role, grants);
    out[m] = await signed(joined.cookie, joined.id);
  }
  await SELF.fetch(`${ORIGIN}/hosts`, {
    method: "POST",
    headers: { cookie: owner, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: "name=elsewhere",
  });
  return out as Record<Member, Signed>;
}
