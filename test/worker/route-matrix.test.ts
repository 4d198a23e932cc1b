import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, ROLES, type Role } from "../../protocol/policy.js";
import type { OpName } from "../../protocol/ops.js";
import { principalOf } from "../../worker/team/principal.js";
import { loggedInCookie } from "./helpers.js";
import { standInRelay } from "./stand-in-relay.js";
import { getWith, inviteAndJoin, postForm, teamStub } from "./team-support.js";

/**
 * Every role × an app granted or not × the routes that act on an app (the app named in the URL):
 * the answer is what the one policy says, and a refused request sends nothing to the relay.
 */
interface RouteCase {
  op: OpName;
  method: "GET" | "POST";
  path: (app: string) => string;
  form?: (app: string) => Record<string, string>;
  /** The op's arguments as the route sends them, when not `{ app }`. */
  args?: (app: string) => unknown;
}
const app = (a: string, p: string) => `/hosts/demo/apps/${a}${p}`;
const ROUTES: RouteCase[] = [
  { op: "apps.restart", method: "POST", path: (a) => app(a, "/restart") },
  { op: "apps.rebuild", method: "POST", path: (a) => app(a, "/ps/rebuild") },
  { op: "apps.destroy", method: "POST", path: (a) => app(a, "/destroy"), form: (a) => ({ confirm: a }) },
  { op: "config.set", method: "POST", path: (a) => app(a, "/config/set"), form: () => ({ key: "A", value: "1" }) },
  { op: "config.get", method: "GET", path: (a) => app(a, "/config/list") },
  { op: "domains.add", method: "POST", path: (a) => app(a, "/domains/add"), form: () => ({ domain: "x.example.com" }) },
  { op: "logs.failed", method: "GET", path: (a) => app(a, "/logs/failed") },
  { op: "history.list", method: "GET", path: () => "/hosts/demo/history", args: () => ({}) },
  { op: "history.list", method: "GET", path: (a) => app(a, "/history"), args: (a) => ({ filter: { app: a, show: "changes" } }) },
  { op: "cron.run", method: "POST", path: (a) => app(a, "/cron/run"), form: () => ({ task: "abc123" }) },
  { op: "registry.login", method: "POST", path: (a) => app(a, "/image/login"), form: () => ({ server: "ghcr.io", username: "u", password: "p" }) },
  { op: "host.config.set", method: "POST", path: () => "/hosts/demo/host/settings/config/set", form: () => ({ key: "A", value: "1" }) },
  { op: "host.cleanup", method: "POST", path: () => "/hosts/demo/host/settings/cleanup" },
];

const users: Partial<Record<Role, { cookie: string; id: string }>> = {};
let relay: Awaited<ReturnType<typeof standInRelay>>;
beforeAll(async () => {
  relay = await standInRelay();
  const owner = await loggedInCookie();
  users.owner = { cookie: owner, id: "admin" };
  for (const role of ROLES.filter((r) => r !== "owner")) {
    users[role] = await inviteAndJoin(owner, `${role}-matrix@example.com`, role, [{ host: "demo", app: "web", reveal: "on" }]);
  }
});
afterAll(() => relay.close());

describe.each(ROLES)("as %s (granted app web on demo)", (role) => {
  it.each(ROUTES.flatMap((r) => ["web", "api"].map((target) => [r.op, target, r.path(target), r] as const)))(
    "%s on %s (%s)",
    async (_op, target, _path, route) => {
      const user = users[role]!;
      const member = (await teamStub().get(user.id)) as Parameters<typeof principalOf>[0];
      const args = route.args ? route.args(target) : { app: target };
      const verdict = decide(principalOf(member, "demo"), route.op, args);
      const before = relay.seen.length;
      const res =
        route.method === "GET" ? await getWith(route.path(target), user.cookie) : await postForm(route.path(target), user.cookie, route.form?.(target));
      const body = await res.text();
      const sent = relay.seen.slice(before).filter((s) => s.op === route.op);
      if (verdict.allowed) {
        expect(res.status, body.slice(0, 300)).not.toBe(403);
        expect(sent.map((s) => s.sub)).toEqual([member.name]);
      } else {
        expect(res.status).toBe(403);
        expect(body).toContain(verdict.reason);
        expect(sent).toEqual([]);
      }
    },
  );
});
