import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CHALLENGE_TTL_MS } from "../../worker/team/passkey-store.js";
import { SoftAuthenticator, type AnswerOptions } from "../support/soft-authenticator.js";
import { loggedInCookie, ORIGIN, sessionCookie } from "./helpers.js";
import { getWith, inviteAndJoin, postForm, teamStub } from "./team-support.js";

const RP_ID = new URL(ORIGIN).hostname;
let ipSeq = 0;
/** Each sign-in from its own address, so the per-IP attempt limit never decides a test. */
const nextIp = () => `192.0.2.${++ipSeq}`;

/** A same-origin POST answered with the ceremony's options (JSON). */
async function options<T = object>(path: string, cookie: string | null): Promise<T & { challenge: string }> {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return res.json();
}

/** Registers `auth` on the account of `cookie` (named `name`); the Account page's answer. */
async function register(cookie: string, auth: SoftAuthenticator, name: string, o: AnswerOptions = {}): Promise<Response> {
  const opts = await options<{ user: { id: string } }>("/account/passkeys/options", cookie);
  const answer = await auth.register({ challenge: opts.challenge, origin: ORIGIN, rpId: RP_ID }, opts.user.id, o);
  return postForm("/account/passkeys", cookie, { name, response: JSON.stringify(answer) });
}

/** Posts a sign-in answer from its own address. */
function postSignIn(answer: unknown): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/login/passkey`, {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": nextIp() },
    body: new URLSearchParams({ response: JSON.stringify(answer) }).toString(),
    redirect: "manual",
  });
}

/** A fresh sign-in challenge answered by `auth`. */
async function signIn(auth: SoftAuthenticator, o: AnswerOptions = {}) {
  const opts = await options("/login/passkey/options", null);
  const answer = await auth.signIn({ challenge: opts.challenge, origin: ORIGIN, rpId: RP_ID }, o);
  return { answer, res: await postSignIn(answer) };
}

describe("registering a passkey", () => {
  it("the signed-in user adds a named passkey, sees it listed, and can remove it", async () => {
    const owner = await loggedInCookie();
    const auth = await SoftAuthenticator.make();
    const opts = await options<{
      rp: { id: string };
      user: { id: string; name: string };
      authenticatorSelection: { residentKey: string; userVerification: string };
    }>("/account/passkeys/options", owner);
    // The relying party is the request's own host; the passkey is discoverable and verifies its user.
    expect(opts.rp.id).toBe(RP_ID);
    expect(opts.user.name).toBe("admin");
    expect(opts.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    const added = await register(owner, auth, "Work laptop");
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain("Passkey “Work laptop” added");
    expect(html).toContain("<strong>Work laptop</strong>");
    // listed on the Account page, and its id is excluded from the next registration
    expect(await (await getWith("/account", owner)).text()).toContain("Work laptop");
    const next = await options<{ excludeCredentials: Array<{ id: string }> }>("/account/passkeys/options", owner);
    expect(next.excludeCredentials.map((c) => c.id)).toContain(auth.credentialId);
    // removed: no longer listed, and it no longer signs in
    const removed = await postForm(`/account/passkeys/${auth.credentialId}/remove`, owner);
    expect(removed.status).toBe(200);
    expect(await removed.text()).not.toContain("<strong>Work laptop</strong>");
    expect((await signIn(auth)).res.status).toBe(401);
  });

  it("a challenge works once, only for the user it was made for, and only for a while", async () => {
    const owner = await loggedInCookie();
    const auth = await SoftAuthenticator.make();
    const opts = await options("/account/passkeys/options", owner);
    const answer = await auth.register({ challenge: opts.challenge, origin: ORIGIN, rpId: RP_ID }, "x");
    // another user cannot spend the owner's challenge
    const ann = await inviteAndJoin(owner, "reg-ann@example.com", "viewer");
    const stolen = await postForm("/account/passkeys", ann.cookie, { name: "stolen", response: JSON.stringify(answer) });
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).toContain("expired or was already used");
    // the attempt spent it: the owner's own answer is refused now too
    expect((await postForm("/account/passkeys", owner, { name: "late", response: JSON.stringify(answer) })).status).toBe(400);
    // an expired challenge is refused
    const old = "expired-challenge-aaaaaaaaaaaaaaaaaaaaaaaa";
    await teamStub().keepChallenge(old, "register", "admin", Date.now() - CHALLENGE_TTL_MS - 1000);
    const late = await auth.register({ challenge: old, origin: ORIGIN, rpId: RP_ID }, "x");
    expect((await postForm("/account/passkeys", owner, { name: "old", response: JSON.stringify(late) })).status).toBe(400);
    expect(await teamStub().passkeysOf("admin")).toEqual([]);
  });

  it("refuses another origin, an unverified user, an answer without JavaScript, and a bad name", async () => {
    const owner = await loggedInCookie();
    const evil = await register(owner, await SoftAuthenticator.make(), "phished", { origin: "https://docklight.example.evil.test" });
    expect(evil.status).toBe(400);
    expect(await evil.text()).toContain("another site");
    const unverified = await register(owner, await SoftAuthenticator.make(), "no pin", { userVerified: false });
    expect(unverified.status).toBe(400);
    expect(await unverified.text()).toContain("did not verify the user");
    const noJs = await postForm("/account/passkeys", owner, { name: "plain form", response: "" });
    expect(noJs.status).toBe(400);
    expect(await noJs.text()).toContain("needs JavaScript");
    const badName = await postForm("/account/passkeys", owner, { name: "a\u200bb", response: "{}" });
    expect(badName.status).toBe(400);
    expect(await teamStub().passkeysOf("admin")).toEqual([]);
  });
});

describe("signing in with a passkey", () => {
  it("a passkey alone signs in, without naming an account; the same answer again is refused", async () => {
    const owner = await loggedInCookie();
    const bea = await inviteAndJoin(owner, "pk-bea@example.com", "deployer");
    const auth = await SoftAuthenticator.make();
    expect((await register(bea.cookie, auth, "phone")).status).toBe(200);
    const { answer, res } = await signIn(auth);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const account = await getWith("/account", sessionCookie(res));
    expect(await account.text()).toContain("Signed in as pk-bea@example.com (deployer)");
    // the challenge is spent: a replay of the very same answer signs nobody in
    const replay = await postSignIn(answer);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("expired or was already used");
    // last used is recorded
    const [listed] = (await teamStub().passkeysOf(bea.id)) as Array<{ lastUsedAt: number | null }>;
    expect(listed!.lastUsedAt).not.toBeNull();
  });

  it("refuses a counter that did not move forward, another origin, no user verification, and an expired challenge", async () => {
    const owner = await loggedInCookie();
    const cal = await inviteAndJoin(owner, "pk-cal@example.com", "viewer");
    const auth = await SoftAuthenticator.make();
    expect((await register(cal.cookie, auth, "key")).status).toBe(200);
    expect((await signIn(auth, { counter: 5 })).res.status).toBe(303);
    // a copy of the key answering with a counter at or below the last seen
    const cloned = await signIn(auth, { counter: 5 });
    expect(cloned.res.status).toBe(401);
    expect(await cloned.res.text()).toContain("counter");
    expect((await signIn(auth, { origin: "https://evil.example" })).res.status).toBe(401);
    expect((await signIn(auth, { userVerified: false })).res.status).toBe(401);
    const old = "expired-sign-in-challenge-aaaaaaaaaaaaaaaa";
    await teamStub().keepChallenge(old, "sign-in", "", Date.now() - CHALLENGE_TTL_MS - 1000);
    expect((await postSignIn(await auth.signIn({ challenge: old, origin: ORIGIN, rpId: RP_ID }))).status).toBe(401);
    // a registration challenge is not a sign-in challenge
    const reg = await options("/account/passkeys/options", cal.cookie);
    expect((await postSignIn(await auth.signIn({ challenge: reg.challenge, origin: ORIGIN, rpId: RP_ID }))).status).toBe(401);
    // and the key still works with a fresh challenge and a counter that moved
    expect((await signIn(auth)).res.status).toBe(303);
  });

  it("a suspended user's passkey signs nobody in; an unknown passkey neither; refusals are recorded", async () => {
    const owner = await loggedInCookie();
    const dan = await inviteAndJoin(owner, "pk-dan@example.com", "viewer");
    const auth = await SoftAuthenticator.make();
    expect((await register(dan.cookie, auth, "key")).status).toBe(200);
    expect((await postForm(`/users/${dan.id}/suspend`, owner)).status).toBe(200);
    const suspended = await signIn(auth);
    expect(suspended.res.status).toBe(401);
    expect(await suspended.res.text()).toContain("does not open an active account");
    const stranger = await SoftAuthenticator.make();
    stranger.userHandle = auth.userHandle;
    expect((await signIn(stranger)).res.status).toBe(401);
    // reinstated, the same passkey works again; removed, the user's passkeys go with them
    expect((await postForm(`/users/${dan.id}/reinstate`, owner)).status).toBe(200);
    expect((await signIn(auth)).res.status).toBe(303);
    expect((await postForm(`/users/${dan.id}/remove`, owner)).status).toBe(200);
    expect(await teamStub().passkeysOf(dan.id)).toEqual([]);
    expect((await signIn(auth)).res.status).toBe(401);
    const users = await getWith("/users", owner);
    expect(await users.text()).toContain("passkey refused");
  });

  it("the sign-in page offers a passkey through the vendored library, with no inline script", async () => {
    const page = await SELF.fetch(`${ORIGIN}/login`);
    const html = await page.text();
    expect(html).toContain('action="/login/passkey"');
    const lib = /src="(\/vendor\/simplewebauthn-browser\.min\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    const ours = /src="(\/passkeys\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(lib).toBeDefined();
    expect(ours).toBeDefined();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = (env as unknown as import("../../worker/env.js").Env).ASSETS;
    const libRes = await assets.fetch(`${ORIGIN}${lib}`);
    expect(libRes.status).toBe(200);
    expect(await libRes.text()).toContain("SimpleWebAuthnBrowser");
    const oursRes = await assets.fetch(`${ORIGIN}${ours}`);
    expect(await oursRes.text()).toContain("startAuthentication");
  });
});
