import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { base32Decode, totp } from "../../worker/auth/totp.js";
import { authGuardStub, loggedInCookie, ORIGIN, sessionCookie, setCookie } from "./helpers.js";
import { getWith, inviteAndJoin, postForm } from "./team-support.js";

// Two-factor sign-in for every user, not only the first owner: each enrols from their own Account
// page, and each one's secret, replay step and recovery codes are theirs alone.

const now = () => Math.floor(Date.now() / 1000);
let ipSeq = 0;

/** A sign-in form post from an address of its own (the per-IP limit never decides a test). */
const post = (path: string, cookie: string | null, body: Record<string, string>) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: {
      ...(cookie ? { cookie } : {}),
      origin: ORIGIN,
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": `198.51.100.${++ipSeq}`,
    },
    body: new URLSearchParams(body).toString(),
    redirect: "manual",
  });

/** Enrols the user of `cookie`: their secret, recovery codes and new session cookie. */
async function enrol(cookie: string): Promise<{ secret: string; recovery: string[]; cookie: string }> {
  const page = await getWith("/account/2fa", cookie);
  expect(page.status).toBe(200);
  expect(page.headers.get("cache-control")).toBe("no-store");
  const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(await page.text())![1]!.replace(/ /g, "");
  const ok = await postForm("/account/2fa/confirm", cookie, { code: await totp(base32Decode(secret), now()) });
  expect(ok.status).toBe(200);
  expect(ok.headers.get("cache-control")).toBe("no-store");
  const recovery = [...(await ok.text()).matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!);
  expect(recovery).toHaveLength(10);
  return { secret, recovery, cookie: sessionCookie(ok) };
}

/** Password then code for `email`: the final response (or the first, when no code was asked). */
async function signIn(email: string, password: string, code: string | null): Promise<Response> {
  const first = await post("/login", null, { email, password });
  if (code === null) return first;
  expect(first.headers.get("location")).toBe("/login/2fa");
  return post("/login/2fa", setCookie(first, "2fa"), { code });
}

/** The guard's stored TOTP values whose key names `id`. */
function storedFor(id: string): Promise<Record<string, string>> {
  return runInDurableObject(authGuardStub(), (_: unknown, state: DurableObjectState) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE ?", `totp%:${id}`)
        .toArray()
        .map((r) => [r.key, r.value]),
    ),
  );
}

describe("two-factor sign-in for an invited user", () => {
  it("each user enrols from their own Account page; the secret is sealed; their sign-in then asks for their code, once", async () => {
    const owner = await loggedInCookie();
    const eve = await inviteAndJoin(owner, "totp-eve@example.com", "deployer");
    const account = await (await getWith("/account", eve.cookie)).text();
    expect(account).toContain("Two-factor sign-in");
    expect(account).toContain('href="/account/2fa"');
    const laptop = sessionCookie(await signIn("totp-eve@example.com", eve.password, null));
    const { secret, recovery, cookie } = await enrol(eve.cookie);
    const stored = await storedFor(eve.id);
    expect(stored[`totp_secret:${eve.id}`]).toMatch(/^aesgcm1\./);
    expect(JSON.stringify(stored)).not.toContain(secret);
    // Her other password-only session ended; this one goes on; the owner's did not end.
    expect((await getWith("/account", laptop)).status).toBe(302);
    expect((await getWith("/account", cookie)).status).toBe(200);
    expect((await getWith("/account", owner)).status).toBe(200);
    // The owner's own sign-in still needs no code: the factor is Eve's, not everyone's.
    expect((await post("/login", null, { password: env.TEST_PASSWORD })).headers.get("location")).toBe("/");

    const code = await totp(base32Decode(secret), now() + 30);
    const signedIn = await signIn("totp-eve@example.com", eve.password, code);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/");
    // the same code again: refused (no replay)
    expect((await signIn("totp-eve@example.com", eve.password, code)).status).toBe(401);
    // a recovery code works once
    expect((await signIn("totp-eve@example.com", eve.password, recovery[0]!)).status).toBe(303);
    expect((await signIn("totp-eve@example.com", eve.password, recovery[0]!)).status).toBe(401);
  });

  it("one user's code or recovery code does not open another's sign-in", async () => {
    const owner = await loggedInCookie();
    const fay = await inviteAndJoin(owner, "totp-fay@example.com", "viewer");
    const gus = await inviteAndJoin(owner, "totp-gus@example.com", "viewer");
    const fays = await enrol(fay.cookie);
    await enrol(gus.cookie);
    expect((await signIn("totp-gus@example.com", gus.password, await totp(base32Decode(fays.secret), now() + 60))).status).toBe(401);
    expect((await signIn("totp-gus@example.com", gus.password, fays.recovery[0]!)).status).toBe(401);
    // Fay's recovery code is still hers to use
    expect((await signIn("totp-fay@example.com", fay.password, fays.recovery[0]!)).status).toBe(303);
  });

  it("turning it off needs a current code; removing a user forgets their secret and recovery codes", async () => {
    const owner = await loggedInCookie();
    const hal = await inviteAndJoin(owner, "totp-hal@example.com", "viewer");
    const { secret, cookie } = await enrol(hal.cookie);
    expect((await postForm("/account/2fa/disable", cookie, { code: "000000" })).status).toBe(400);
    const off = await postForm("/account/2fa/disable", cookie, { code: await totp(base32Decode(secret), now() + 30) });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Two-factor sign-in is off.");
    expect(await storedFor(hal.id)).toEqual({});
    expect((await signIn("totp-hal@example.com", hal.password, null)).headers.get("location")).toBe("/");

    const ian = await inviteAndJoin(owner, "totp-ian@example.com", "viewer");
    await enrol(ian.cookie);
    expect(Object.keys(await storedFor(ian.id))).not.toEqual([]);
    expect((await postForm(`/users/${ian.id}/remove`, owner)).status).toBe(200);
    expect(await storedFor(ian.id)).toEqual({});
    const codes = await runInDurableObject(authGuardStub(), (_: unknown, state: DurableObjectState) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?", ian.id).one(),
    );
    expect(codes.n).toBe(0);
  });
});
