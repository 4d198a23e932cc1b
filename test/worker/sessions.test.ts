import { env, SELF } from "cloudflare:test";
import { generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app.js";
import { hashPassword } from "../../worker/auth/password.js";
import { credentialFingerprint, SESSION_AUDIENCE, SESSION_ISSUER } from "../../worker/auth/session.js";
import { readConfig, type Config, type Env as WorkerEnv } from "../../worker/env.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

const COOKIE = "__Host-docklight_session";

function config(): Config {
  const cfg = readConfig(env as unknown as WorkerEnv);
  if (!cfg.ok) throw new Error(cfg.problems.join("; "));
  return cfg.config;
}

async function goodClaims(): Promise<JWTPayload> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: "admin",
    iss: SESSION_ISSUER,
    aud: SESSION_AUDIENCE,
    iat: now,
    exp: now + 3600,
    jti: crypto.randomUUID(),
    gen: 0,
    fp: await credentialFingerprint(config()),
  };
}

async function signHS256(claims: JWTPayload, secret = config().sessionSecret): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

/** Where a page request with this cookie lands: 200 for a live session, a 302 to /login otherwise. */
async function visit(cookie: string, path = "/account", customEnv?: object): Promise<{ status: number; location: string | null }> {
  const init = { headers: { cookie }, redirect: "manual" as const };
  const res = customEnv ? await app.request(`${ORIGIN}${path}`, init, customEnv) : await SELF.fetch(`${ORIGIN}${path}`, init);
  await res.body?.cancel();
  return { status: res.status, location: res.headers.get("location") };
}

const refused = { status: 302, location: "/login" };

describe("session tokens", () => {
  it("accepts a correctly signed token with every claim right (the control for the cases below)", async () => {
    expect(await visit(`${COOKIE}=${await signHS256(await goodClaims())}`)).toEqual({ status: 200, location: null });
  });

  it("refuses alg none", async () => {
    const claims = await goodClaims();
    const token = new UnsecuredJWT(claims).encode();
    expect(token.split(".")[2]).toBe("");
    expect(await visit(`${COOKIE}=${token}`)).toEqual(refused);
  });

  it("refuses a token signed with another key", async () => {
    const token = await signHS256(await goodClaims(), "another secret that is at least 32 bytes long!!");
    expect(await visit(`${COOKIE}=${token}`)).toEqual(refused);
  });

  it("refuses an EdDSA token (algorithm confusion) and an HS256 token keyed with a public key", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
    const eddsa = await new SignJWT(await goodClaims()).setProtectedHeader({ alg: "EdDSA" }).sign(privateKey);
    expect(await visit(`${COOKIE}=${eddsa}`)).toEqual(refused);
    const raw = new Uint8Array((await crypto.subtle.exportKey("raw", publicKey as CryptoKey)) as ArrayBuffer);
    const confused = await new SignJWT(await goodClaims()).setProtectedHeader({ alg: "HS256" }).sign(raw);
    expect(await visit(`${COOKIE}=${confused}`)).toEqual(refused);
    const hs512 = await new SignJWT(await goodClaims()).setProtectedHeader({ alg: "HS512" }).sign(new TextEncoder().encode(config().sessionSecret));
    expect(await visit(`${COOKIE}=${hs512}`)).toEqual(refused);
  });

  it("refuses an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signHS256({ ...(await goodClaims()), iat: now - 7200, exp: now - 60 });
    expect(await visit(`${COOKIE}=${token}`)).toEqual(refused);
  });

  it("refuses a wrong audience, a wrong issuer, or a missing jti", async () => {
    expect(await visit(`${COOKIE}=${await signHS256({ ...(await goodClaims()), aud: "docklight-second-factor" })}`)).toEqual(refused);
    expect(await visit(`${COOKIE}=${await signHS256({ ...(await goodClaims()), aud: "someone-else" })}`)).toEqual(refused);
    expect(await visit(`${COOKIE}=${await signHS256({ ...(await goodClaims()), iss: "evil" })}`)).toEqual(refused);
    const { jti: _, ...noJti } = await goodClaims();
    expect(await visit(`${COOKIE}=${await signHS256(noJti)}`)).toEqual(refused);
  });

  it("refuses a tampered payload", async () => {
    const [h, p, s] = (await signHS256(await goodClaims())).split(".") as [string, string, string];
    const payload = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/"))) as JWTPayload;
    const forged = btoa(JSON.stringify({ ...payload, sub: "root", exp: (payload.exp as number) + 86400 * 365 }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(await visit(`${COOKIE}=${h}.${forged}.${s}`)).toEqual(refused);
  });

  it("refuses a right-key token whose credential fingerprint or generation is stale", async () => {
    expect(await visit(`${COOKIE}=${await signHS256({ ...(await goodClaims()), fp: "AAAAAAAAAAAAAAAAAAAAAA" })}`)).toEqual(refused);
    const { fp: _, ...noFp } = await goodClaims();
    expect(await visit(`${COOKIE}=${await signHS256(noFp)}`)).toEqual(refused);
    expect(await visit(`${COOKIE}=${await signHS256({ ...(await goodClaims()), gen: 7 })}`)).toEqual(refused);
  });

  // The key and fingerprint are derived once per isolate: a changed secret or password must still end every session at once.
  it("ends a session at once when the password hash or the session secret changes, and takes it again when they change back", async () => {
    const cookie = `${COOKIE}=${await signHS256(await goodClaims())}`;
    const bindings = env as unknown as WorkerEnv;
    expect(await visit(cookie, "/account", bindings)).toEqual({ status: 200, location: null });
    const otherHash = await hashPassword("another password entirely");
    expect(await visit(cookie, "/account", { ...bindings, DOCKLIGHT_PASSWORD_HASH: otherHash })).toEqual(refused);
    expect(await visit(cookie, "/account", { ...bindings, SESSION_SECRET: "another-session-secret-0123456789abcdef" })).toEqual(refused);
    expect(await visit(cookie, "/account", bindings)).toEqual({ status: 200, location: null });
  });
});

describe("the session cookie", () => {
  it("is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, without Domain, for 24 hours", async () => {
    const res = await SELF.fetch(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: new URLSearchParams({ password: env.TEST_PASSWORD }).toString(),
      redirect: "manual",
    });
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/^__Host-docklight_session=/);
    for (const flag of [/HttpOnly/i, /;\s*Secure/i, /SameSite=Strict/i, /Path=\/(;|$)/, /Max-Age=86400/]) expect(set).toMatch(flag);
    expect(set).not.toMatch(/Domain=/i);
    // The token inside: HS256, 24 h, issuer and audience set.
    const token = /__Host-docklight_session=([^;]+)/.exec(set)![1]!;
    const header = JSON.parse(atob(token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"))) as { alg: string };
    expect(header.alg).toBe("HS256");
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as JWTPayload;
    expect(payload).toMatchObject({ iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, sub: "admin" });
    expect(payload.exp! - payload.iat!).toBe(24 * 3600);
  });
});

describe("revocation", () => {
  it("logout revokes that session: the old cookie replayed afterwards goes to /login", async () => {
    const mine = await loggedInCookie();
    const other = await loggedInCookie();
    expect(await visit(mine)).toEqual({ status: 200, location: null });
    const out = await SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { cookie: mine, origin: ORIGIN }, redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/__Host-docklight_session=;.*Max-Age=0/i);
    expect(await visit(mine)).toEqual(refused);
    expect(await visit(mine, "/hosts/demo")).toEqual(refused);
    // Another browser's session is untouched.
    expect(await visit(other)).toEqual({ status: 200, location: null });
  });

  it("log out everywhere revokes every session issued so far; a new sign-in works", async () => {
    const a = await loggedInCookie();
    const b = await loggedInCookie();
    const out = await SELF.fetch(`${ORIGIN}/logout/all`, { method: "POST", headers: { cookie: a, origin: ORIGIN }, redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/login");
    expect(await visit(a)).toEqual(refused);
    expect(await visit(b)).toEqual(refused);
    const fresh = await loggedInCookie();
    expect(await visit(fresh)).toEqual({ status: 200, location: null });
  });

  it("the account page offers log out everywhere", async () => {
    const res = await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: await loggedInCookie() } });
    const html = await res.text();
    expect(html).toMatch(/<form method="post" action="\/logout\/all">/);
  });

  it("changing the password hash or the session secret ends every session", async () => {
    const cookie = await loggedInCookie();
    expect(await visit(cookie, "/account", { ...env })).toEqual({ status: 200, location: null });
    const newHash = await hashPassword("a different password entirely");
    expect(await visit(cookie, "/account", { ...env, DOCKLIGHT_PASSWORD_HASH: newHash })).toEqual(refused);
    expect(await visit(cookie, "/account", { ...env, SESSION_SECRET: "a-brand-new-session-secret-0123456789abcdef" })).toEqual(refused);
  });
});
