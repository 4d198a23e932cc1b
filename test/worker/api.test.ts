import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/auth/crypto.js";
import { endedChangeRow } from "../support/history-rows.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { standInRelay, type SeenOp } from "./stand-in-relay.js";
import { getWith, inviteAndJoin, postForm, teamStub } from "./team-support.js";

/**
 * The JSON API for CI (issue #24): scoped tokens made on the Account page act through the same
 * policy as the pages (the HostHub decides), a refused call runs nothing on the relay, expired and
 * revoked tokens are 401, and the OpenAPI document is generated and well formed.
 */

let relay: Awaited<ReturnType<typeof standInRelay>> | null = null;
afterEach(() => {
  relay?.close();
  relay = null;
});

const APPS = { apps: ["web", "api"].map((name) => ({ name, state: "running", processes: 1, unknownReason: null })) };
/** History as the relay would filter it: one restart of each app, the rows of the filter's app only. */
function historyOf(op: SeenOp) {
  const app = (op.args.filter as { app?: string } | undefined)?.app;
  const entries = ["web", "api"]
    .filter((a) => app === undefined || a === app)
    .map((a, i) =>
      endedChangeRow({ id: i + 1, opId: crypto.randomUUID(), op: "apps.restart", app: a, argv: ["dokku", "ps:restart", a], title: `Restart ${a}` }),
    );
  return { entries, total: entries.length, full: false };
}
const answer = (op: SeenOp) =>
  op.op === "apps.list"
    ? APPS
    : op.op === "history.list"
      ? historyOf(op)
      : op.op === "apps.rebuild" || op.op === "apps.restart" || op.op === "git.sync"
        ? { output: "done" }
        : undefined;

/** Make a token on the tokens page as the holder of `cookie`; its text as shown once. */
async function makeToken(cookie: string, fields: { name: string; host?: string; app?: string; days?: string }): Promise<string> {
  const res = await postForm("/account/tokens", cookie, { host: "demo", app: "", days: "30", ...fields });
  const html = await res.text();
  expect(res.status, html).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const m = /<code class="api-token">(dlt_[A-Za-z0-9_-]{43})<\/code>/.exec(html);
  if (!m) throw new Error("no token on the page");
  return m[1]!;
}

const api = (path: string, token: string | null, init: RequestInit = {}) =>
  SELF.fetch(`${ORIGIN}/api/v1${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const post = (path: string, token: string, body?: unknown) =>
  api(path, token, { method: "POST", ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });

describe("API tokens", () => {
  it("a token scoped to one app deploys that app and is refused another's (403, nothing runs on the relay)", async () => {
    relay = await standInRelay(answer);
    const token = await makeToken(await loggedInCookie(), { name: "ci web", app: "web" });

    const refused = await post("/hosts/demo/apps/api/deploy", token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/no grant on app api/);
    const restartRefused = await post("/hosts/demo/apps/api/restart", token);
    expect(restartRefused.status).toBe(403);
    expect(relay.seen.map((o) => o.op)).toEqual([]);

    const ok = await post("/hosts/demo/apps/web/deploy", token);
    expect(ok.status, await ok.clone().text()).toBe(202);
    const started = (await ok.json()) as { opId: string; op: string; links: { self: string } };
    expect(started.op).toBe("apps.rebuild");
    expect(relay.seen.map((o) => [o.op, o.args.app, o.sub])).toEqual([["apps.rebuild", "web", "admin (token ci web)"]]);

    // Its state, once the relay said how it ended, from the hub's record of the changes it started.
    let change: { state: string; outcome: { ok: boolean } | null } = { state: "running", outcome: null };
    for (let i = 0; i < 100 && change.state !== "ended"; i++) {
      change = (await (await api(started.links.self.replace("/api/v1", ""), token)).json()) as typeof change;
      if (change.state !== "ended") await new Promise((r) => setTimeout(r, 20));
    }
    expect(change).toMatchObject({ state: "ended", outcome: { ok: true } });

    // An app-scoped token lists only its app (apps.list is host-wide: it reads apps.detail of its own).
    const hostWide = await makeToken(await loggedInCookie(), { name: "ci all" });
    const listed = (await (await api("/hosts/demo/apps", hostWide)).json()) as { apps: Array<{ name: string }> };
    expect(listed.apps.map((a) => a.name)).toEqual(["web", "api"]);
  });

  it("a token scoped to one app reads that app's history, and is refused another app's and the host's (403, nothing runs)", async () => {
    relay = await standInRelay(answer);
    const token = await makeToken(await loggedInCookie(), { name: "ci history", app: "web" });

    const own = await api("/hosts/demo/history?app=web", token);
    expect(own.status, await own.clone().text()).toBe(200);
    const rows = ((await own.json()) as { entries: Array<{ app: string; requestedBy: string }> }).entries;
    expect(rows.map((e) => e.app)).toEqual(["web"]);
    // Without ?app= it reads its own app's, never the host's.
    const implicit = (await (await api("/hosts/demo/history", token)).json()) as { entries: Array<{ app: string }> };
    expect(implicit.entries.map((e) => e.app)).toEqual(["web"]);
    expect(relay.seen.map((o) => [o.op, o.args.filter, o.sub])).toEqual([
      ["history.list", { app: "web" }, "admin (token ci history)"],
      ["history.list", { app: "web" }, "admin (token ci history)"],
    ]);

    const other = await api("/hosts/demo/history?app=api", token);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toMatch(/no grant on app api/);
    expect(relay.seen).toHaveLength(2);

    // A host token reads the whole host's history.
    const hostWide = await makeToken(await loggedInCookie(), { name: "ci host history" });
    const all = (await (await api("/hosts/demo/history", hostWide)).json()) as { entries: Array<{ app: string }> };
    expect(all.entries.map((e) => e.app)).toEqual(["web", "api"]);
    expect(relay.seen.at(-1)?.args.filter).toEqual({});
  });

  it("never does more than its user: a deployer of web with a host token is still refused api", async () => {
    relay = await standInRelay(answer);
    const owner = await loggedInCookie();
    const dev = await inviteAndJoin(owner, `dev-${crypto.randomUUID().slice(0, 8)}@example.com`, "deployer", [{ host: "demo", app: "web" }]);
    const token = await makeToken(dev.cookie, { name: "dev host" });
    expect((await post("/hosts/demo/apps/api/restart", token)).status).toBe(403);
    expect(relay.seen).toEqual([]);
    expect((await post("/hosts/demo/apps/web/restart", token)).status).toBe(202);
    expect(relay.seen.map((o) => [o.op, o.args.app])).toEqual([["apps.restart", "web"]]);
    // A token is for its host only.
    expect((await api("/hosts/other/apps", token)).status).toBe(404);
  });

  it("refuses bad input with a 400 that says what was wrong, before anything runs", async () => {
    relay = await standInRelay(answer);
    const token = await makeToken(await loggedInCookie(), { name: "ci input" });
    const res = await post("/hosts/demo/apps/web/deploy", token, { remote: "https://user:pw@example.com/r.git" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/credentials/);
    expect(relay.seen).toEqual([]);
  });

  it("expired, revoked, unknown and missing tokens are 401; the list shows when each was last used and never the token", async () => {
    relay = await standInRelay(answer);
    const cookie = await loggedInCookie();
    const token = await makeToken(cookie, { name: "to revoke" });
    expect((await api("/hosts/demo/apps", token)).status).toBe(200);

    const page = await (await getWith("/account/tokens", cookie)).text();
    expect(page).not.toContain(token);
    const row = new RegExp(`<tr data-token="([^"]+)"><td data-label="Name">to revoke</td>(.*?)</tr>`).exec(page);
    expect(row?.[2]).not.toContain("never");

    expect((await postForm(`/account/tokens/${row![1]}/revoke`, cookie)).status).toBe(303);
    const revoked = await api("/hosts/demo/apps", token);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: string }).error).toMatch(/revoked/);

    // One made with a life already over (the Team's own call: the form allows 1 day at least).
    const old = `dlt_${"A".repeat(43)}`;
    await teamStub().tokenCreate("admin", await sha256Hex(old), old.slice(0, 8), { name: "old", host: "demo", app: null }, Date.now() - 1, Date.now() - 10_000);
    const expired = await api("/hosts/demo/apps", old);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toMatch(/expired/);

    expect((await api("/hosts/demo/apps", `dlt_${"B".repeat(43)}`)).status).toBe(401);
    expect((await api("/hosts/demo/apps", null)).status).toBe(401);
    expect(relay.seen.map((o) => o.op)).toEqual(["apps.list"]);
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.x, and every path's operations have responses with schemas", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/hosts/{host}/apps",
      "/hosts/{host}/apps/{app}/deploy",
      "/hosts/{host}/apps/{app}/restart",
      "/hosts/{host}/changes/{opId}",
      "/hosts/{host}/changes/{opId}/events",
      "/hosts/{host}/history",
    ]);
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) k === "$ref" ? refs.add(x as string) : walk(x);
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(["get", "post"], `${method} ${path}`).toContain(method);
        expect(op.security, `${method} ${path}`).toEqual([{ Bearer: [] }]);
        const codes = Object.keys(op.responses);
        expect(
          codes.some((c) => c.startsWith("2")),
          `${method} ${path}`,
        ).toBe(true);
        expect(codes, `${method} ${path}`).toContain("401");
        for (const [code, r] of Object.entries(op.responses)) {
          const content = Object.values(r.content ?? {});
          expect(content.length, `${method} ${path} ${code}`).toBeGreaterThan(0);
          for (const c of content) expect(c.schema, `${method} ${path} ${code}`).toBeTruthy();
        }
      }
    }
    walk(doc.paths);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref.replace("#/components/schemas/", ""));
    expect(doc.components.securitySchemes).toHaveProperty("Bearer");
  });
});
