import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_GRANTS, type Principal } from "../../protocol/policy.js";
import type { Env } from "../../worker/env.js";
import { hubFor } from "../../worker/hub/client.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { Failure, HELD, standInRelay } from "./stand-in-relay.js";

/**
 * Push to deploy (issue #24): deliveries signed in the test as GitHub, GitLab and Gitea sign them,
 * to a fake relay that records each git.sync it is asked to run and holds it running until the
 * test ends it (a second change to a running app is "busy", as the relay's jobs say).
 */
const bindings = env as unknown as Env;
const hub = () => hubFor(bindings, "demo");
const OWNER: Principal = { user: "owner@example.com", role: "owner", grants: ALL_GRANTS };
const REPO = "https://github.com/example/api.git";

/** Every git.sync the relay was asked for, in order, and the ones still running by app. */
const syncs: Array<{ id: string; app: string; ref: string; sub: string }> = [];
const running = new Map<string, string>();
let relay: Awaited<ReturnType<typeof standInRelay>>;

beforeAll(async () => {
  relay = await standInRelay(
    ({ jti, op, args, sub }) => {
      if (op !== "git.sync") return undefined;
      const app = args.app as string;
      const holder = running.get(app);
      if (holder) return new Failure("busy", `${app} is busy`, { refused: true, opId: holder });
      running.set(app, jti);
      syncs.push({ id: jti, app, ref: args.ref as string, sub });
      return HELD;
    },
    { simulated: false },
  );
});

/** The relay ends the app's running deploy. */
async function finish(app: string) {
  const id = running.get(app)!;
  running.delete(app);
  relay.ws.send(JSON.stringify({ type: "result", id, ok: true, result: { output: "deployed" } }));
}

async function hook(app: string, branch = "main") {
  const set = await hub().hookSet(OWNER, app, REPO, branch);
  if (!set.ok) throw new Error(set.message);
  return set;
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
async function hmac(secret: string, body: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
}
const sha = (n: number) => n.toString(16).padStart(40, "a");
const push = (branch: string, after: string) =>
  JSON.stringify({ ref: `refs/heads/${branch}`, after, sender: { login: "octocat" }, pusher: { name: "octocat" } });

/** A delivery as GitHub sends it (signed with `secret`, unless `signature` says otherwise). */
async function github(id: string, secret: string, body: string, o: { delivery?: string; event?: string; signature?: string } = {}) {
  return SELF.fetch(`${ORIGIN}/hooks/demo/${id}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": o.event ?? "push",
      "x-github-delivery": o.delivery ?? crypto.randomUUID(),
      "x-hub-signature-256": `sha256=${o.signature ?? (await hmac(secret, body))}`,
    },
    body,
  });
}

const listed = async (app: string) => {
  const s = await hub().hookShow(OWNER, app);
  if (!s.ok) throw new Error(s.message);
  return s.deliveries;
};

describe("deploy hooks", () => {
  it("a valid push to the followed branch starts exactly one deploy of the pushed commit, as webhook (sender)", async () => {
    const { hook: h, secret } = await hook("api");
    const res = await github(h.id, secret, push("main", sha(1)));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ outcome: "deployed" });
    const mine = syncs.filter((s) => s.app === "api");
    expect(mine).toEqual([{ id: expect.any(String), app: "api", ref: sha(1), sub: "webhook (octocat)" }]);
    expect((await listed("api"))[0]).toMatchObject({ outcome: "deployed", sha: sha(1), by: "octocat", opId: mine[0]!.id });
    await finish("api");
  });

  it("a bad signature, a replayed id, another branch and an oversized body start none, each listed with its reason", async () => {
    const { hook: h, secret } = await hook("web");
    const before = syncs.length;
    const bad = await github(h.id, secret, push("main", sha(2)), { signature: await hmac("not the secret", push("main", sha(2))) });
    expect(bad.status).toBe(401);
    const other = await github(h.id, secret, push("dev", sha(3)));
    expect(other.status).toBe(200);
    const big = await github(h.id, secret, JSON.stringify({ ref: "refs/heads/main", after: sha(4), pad: "x".repeat(300 * 1024) }));
    expect(big.status).toBe(413);
    expect(syncs.length).toBe(before);
    // A replay of a delivery that deployed: the same id, body and signature.
    const delivery = crypto.randomUUID();
    expect((await github(h.id, secret, push("main", sha(5)), { delivery })).status).toBe(202);
    await finish("web");
    const replay = await github(h.id, secret, push("main", sha(5)), { delivery });
    expect(replay.status).toBe(409);
    expect(syncs.filter((s) => s.app === "web").map((s) => s.ref)).toEqual([sha(5)]);
    const reasons = (await listed("web")).map((d) => `${d.outcome}: ${d.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^refused: replay \(delivery [0-9a-f-]+ was received before\)$/),
      "deployed: deployed aaaaaaa",
      expect.stringMatching(/^refused: .*over the size limit/),
      "ignored: other branch: dev (the hook follows main)",
      "refused: bad signature",
    ]);
  });

  it("three quick pushes while a deploy runs deploy the newest once, when it ends", async () => {
    const { hook: h, secret } = await hook("worker");
    expect((await github(h.id, secret, push("main", sha(10)))).status).toBe(202);
    for (const n of [11, 12, 13]) expect(await (await github(h.id, secret, push("main", sha(n)))).json()).toMatchObject({ outcome: "queued" });
    expect(syncs.filter((s) => s.app === "worker").map((s) => s.ref)).toEqual([sha(10)]);
    await finish("worker");
    // The deploy's end wakes the hub's alarm; run it now rather than wait for it.
    for (let i = 0; i < 50 && syncs.filter((s) => s.app === "worker").length < 2; i++) {
      await runDurableObjectAlarm(hub() as unknown as DurableObjectStub);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(syncs.filter((s) => s.app === "worker").map((s) => s.ref)).toEqual([sha(10), sha(13)]);
    const outcomes = (await listed("worker")).map((d) => [d.sha, d.outcome]);
    expect(outcomes).toEqual([
      [sha(13), "deployed"],
      [sha(12), "superseded"],
      [sha(11), "superseded"],
      [sha(10), "deployed"],
    ]);
    await finish("worker");
  });

  it("checks GitLab's token and Gitea's signature as they send them", async () => {
    const { hook: h, secret } = await hook("gl");
    const body = JSON.stringify({ ref: "refs/heads/main", after: sha(20), user_username: "gitlab-user" });
    const gitlab = (token: string, uuid = crypto.randomUUID()) =>
      SELF.fetch(`${ORIGIN}/hooks/demo/${h.id}`, {
        method: "POST",
        headers: { "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": uuid, "x-gitlab-token": token },
        body,
      });
    expect((await gitlab("wrong")).status).toBe(401);
    expect((await gitlab(secret)).status).toBe(202);
    expect(syncs.at(-1)).toMatchObject({ app: "gl", ref: sha(20), sub: "webhook (gitlab-user)" });
    await finish("gl");

    const { hook: g, secret: gs } = await hook("gt");
    const gbody = JSON.stringify({ ref: "refs/heads/main", after: sha(30), sender: { login: "gitea-user" } });
    const gitea = async (sig: string) =>
      SELF.fetch(`${ORIGIN}/hooks/demo/${g.id}`, {
        method: "POST",
        headers: { "x-gitea-event": "push", "x-gitea-delivery": crypto.randomUUID(), "x-gitea-signature": sig },
        body: gbody,
      });
    expect((await gitea(await hmac("nope", gbody))).status).toBe(401);
    expect((await gitea(await hmac(gs, gbody))).status).toBe(202);
    expect(syncs.at(-1)).toMatchObject({ app: "gt", ref: sha(30), sub: "webhook (gitea-user)" });
    await finish("gt");
  });

  it("an unknown hook is a 404 that wakes nothing", async () => {
    expect((await SELF.fetch(`${ORIGIN}/hooks/demo/AAAAAAAAAAAAAAAAAAAAAA`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await SELF.fetch(`${ORIGIN}/hooks/nohost/AAAAAAAAAAAAAAAAAAAAAA`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("the Deploy tab sets a hook: its URL and the secret shown once, a credentialled URL refused, deliveries listed", async () => {
    const cookie = await loggedInCookie();
    const post = (repo: string) =>
      SELF.fetch(`${ORIGIN}/hosts/demo/apps/ui/deploy/hook`, {
        method: "POST",
        headers: { cookie, origin: ORIGIN, "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ repo, branch: "main" }).toString(),
      });
    const refused = await post("https://user:token@github.com/example/ui.git");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("put no credentials in the repository URL");
    expect((await hub().hookShow(OWNER, "ui")).ok && (await listed("ui")).length).toBe(0);

    const set = await post("https://github.com/example/ui.git");
    expect(set.status).toBe(200);
    expect(set.headers.get("cache-control")).toBe("no-store");
    const html = await set.text();
    const secret = /<pre class="copy hook-secret">([^<]+)<\/pre>/.exec(html)?.[1];
    const url = /<pre class="copy hook-url">([^<]+)<\/pre>/.exec(html)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toMatch(new RegExp(`^${ORIGIN}/hooks/demo/[A-Za-z0-9_-]{22}$`));
    for (const sender of ["GitHub", "GitLab", "Gitea / Forgejo"]) expect(html).toContain(`<strong>${sender}</strong>`);

    // The secret works, and is never shown again.
    expect((await github(url!.split("/").at(-1)!, secret!, push("dev", sha(40)))).status).toBe(200);
    const page = await (await SELF.fetch(`${ORIGIN}/hosts/demo/apps/ui/deploy`, { headers: { cookie } })).text();
    expect(page).toContain(url!);
    expect(page).not.toContain(secret!);
    expect(page).toContain("other branch: dev (the hook follows main)");
  });
});
