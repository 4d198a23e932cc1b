import { SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, ops, type OpName } from "../../protocol/ops.js";
import { decide, ROLES, type Role } from "../../protocol/policy.js";
import { app as edge } from "../../worker/app.js";
import { hostsRoutes } from "../../worker/routes/hosts.js";
import { principalOf, type PolicyUser } from "../../worker/team/principal.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";
import { inviteAndJoin, teamStub } from "./team-support.js";
import { fill } from "./host-routes.js";

/**
 * Every route of a host the edge serves, read from its own route table (so a route added later is
 * in the matrix without anyone listing it), × every role × an app granted or not, named in the
 * URL, the form and the query alike; and every such route on a host the user holds no grant on.
 * For each request: every op the relay receives is one the policy allows that user, on the app the
 * request named and no other, and a refused request (403) runs nothing on the relay.
 * (route-matrix.test.ts holds the exact answers of the main actions.)
 */

/**
 * The owner's changes to the host record itself (rename, new token or code, removal: `hostsRoutes`,
 * the policy's `hosts.manage`, no op signed): left out, since doing them would cut the relay off
 * the rest of the matrix; host-registry.test.ts and the policy's tests hold them.
 */
const HOST_RECORD_CHANGES = new Set(hostsRoutes.routes.filter((r) => r.method === "POST").map((r) => `/hosts${r.path}`));

/** The routes of one host that change something (POST; and the Activity page's Verify of one), each once. */
const ROUTES = [
  ...new Map(
    edge.routes
      .filter((r) => r.method === "POST" && /\/:host\b/.test(r.path) && !r.path.startsWith("/api/") && !r.path.startsWith("/hooks/"))
      .filter((r) => !(r.method === "POST" && HOST_RECORD_CHANGES.has(r.path)))
      .map((r) => [`${r.method} ${r.path}`, r]),
  ).values(),
];

const users: Partial<Record<Role, { cookie: string; member: PolicyUser }>> = {};
let relay: Awaited<ReturnType<typeof standInRelay>>;
/** Routes a request of the owner got an op signed through (the matrix must reach the relay, not stop at 400s). */
const signedThrough = new Set<string>();

beforeAll(async () => {
  relay = await standInRelay();
  const owner = await loggedInCookie();
  for (const role of ROLES) {
    const cookie =
      role === "owner" ? owner : (await inviteAndJoin(owner, `${role}-every-route@example.com`, role, [{ host: "demo", app: "web", reveal: "on" }])).cookie;
    const id = role === "owner" ? "admin" : ((await teamStub().list()) as PolicyUser[]).find((u) => u.name === `${role}-every-route@example.com`)!.id;
    users[role] = { cookie, member: (await teamStub().get(id)) as PolicyUser };
  }
  // a second host, on which nobody but owners and admins holds a grant
  await SELF.fetch(`${ORIGIN}/hosts`, {
    method: "POST",
    headers: { cookie: owner, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: "name=elsewhere",
  });
});
afterAll(() => relay.close());

/** One request as `role`, the app named in the URL, the form and the query; returns its status and the ops the relay got meanwhile. */
async function request(role: Role, method: string, path: string, app: string): Promise<{ status: number; sent: SeenOp[] }> {
  const before = relay.seen.length;
  const url = `${ORIGIN}${path}?app=${app}`;
  const headers: Record<string, string> = { cookie: users[role]!.cookie, origin: ORIGIN };
  const init: RequestInit = { method, headers, redirect: "manual" };
  if (method === "POST") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    init.body = new URLSearchParams({ app, confirm: app, name: app, service: "db", key: "A", value: "1", domain: "x.example.com" }).toString();
  }
  const res = await SELF.fetch(url, init);
  // A live stream (logs, a change's output) is not read to its end: what it signed so far is checked.
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) await res.body?.cancel();
  else await res.arrayBuffer();
  return { status: res.status, sent: relay.seen.slice(before) };
}

/** Owners and admins hold every app alike: the app not granted to others is theirs to act on too. */
const TARGETS: Record<Role, string[]> = { owner: ["api"], admin: ["api"], deployer: ["web", "api"], viewer: ["web", "api"] };

describe.each(ROLES)("as %s (granted app web on demo), every route of a host", (role) => {
  it.each(ROUTES.flatMap((r) => TARGETS[role].map((target) => [r.method, r.path, target] as const)))("%s %s on %s", async (method, pattern, target) => {
    const { member } = users[role]!;
    const principal = principalOf(member, "demo");
    const { status, sent } = await request(role, method, fill(pattern, target, "demo"), target);
    expect(status, "an unhandled error").not.toBe(500);
    for (const op of sent) {
      expect(decide(principal, op.op, op.args), `${op.op} ${JSON.stringify(op.args)} was signed for ${role}`).toEqual({ allowed: true });
      expect(op.sub).toBe(member.name);
      const acted = appOf(op.args);
      if (acted !== null) expect(acted, `${op.op} acted on another app than the one the request named`).toBe(target);
    }
    if (status === 403) expect(sent.map((s) => s.op)).toEqual([]);
    if (role === "owner" && sent.length > 0) signedThrough.add(`${method} ${pattern}`);
  });
});

describe("every route of a host the user holds no grant on", () => {
  it.each(ROUTES.flatMap((r) => (["viewer"] as const).map((role) => [role, r.method, r.path] as const)))("as %s: %s %s", async (role, method, pattern) => {
    const { status, sent } = await request(role, method, fill(pattern, "web", "elsewhere"), "web");
    expect([403, 404], `${method} ${pattern}`).toContain(status);
    expect(sent).toEqual([]);
  });
});

describe("the matrix reaches the relay", () => {
  it("the owner's requests got ops signed through most routes, changes among them (not only refused input)", () => {
    const changes = [...signedThrough].filter((r) => r.startsWith("POST"));
    expect(signedThrough.size, [...signedThrough].join("\n")).toBeGreaterThanOrEqual(Math.floor(ROUTES.length / 2));
    expect(changes.length).toBeGreaterThanOrEqual(10);
    // every op any request signed is one of the catalog's
    expect(relay.seen.every((s) => Object.hasOwn(ops, s.op as OpName))).toBe(true);
  });
});
