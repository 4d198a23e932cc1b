import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { base32Decode, totp } from "../../worker/auth/totp.js";
import { login, ORIGIN, sessionCookie } from "./helpers.js";

// In a file of its own: once two-factor sign-in is on, every sign-in in this file needs a code.
/** A same-origin form post; from the same (local) client as `login()` unless an IP is given. */
const post = (path: string, cookie: string, body: Record<string, string>, ip?: string) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", ...(ip ? { "cf-connecting-ip": ip } : {}) },
    body: new URLSearchParams(body).toString(),
    redirect: "manual",
  });

const now = () => Math.floor(Date.now() / 1000);

function pendingCookie(res: Response): string {
  const m = /(__Host-docklight_2fa=[^;]+)/.exec(res.headers.get("set-cookie") ?? "");
  if (!m) throw new Error("no second-factor cookie");
  return m[1]!;
}

describe("TOTP second factor", () => {
  let secret = "";
  let recovery: string[] = [];
  let usedCode = "";

  it("enrols: server-rendered SVG QR code, confirm with a code, ten recovery codes shown once, password-only sessions ended", async () => {
    const cookie = sessionCookie(await login());
    const elsewhere = sessionCookie(await login()); // say, a laptop left signed in
    const page = await SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<svg[^>]*class="qr"[^>]*>.*<path d="M/s);
    expect(html).not.toMatch(/\sstyle=|<script(?![^>]*\bsrc=)/);
    secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!.replace(/ /g, "");
    expect(base32Decode(secret)).toHaveLength(20);
    // A reload shows the same secret (the QR code does not change under the user).
    expect(await (await SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie } })).text()).toContain(html.match(/totp-secret">[^<]+/)![0]);

    const bad = await post("/account/2fa/confirm", cookie, { code: "12345" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Enter the 6-digit code");
    const wrong = await post("/account/2fa/confirm", cookie, {
      code: (Number(await totp(base32Decode(secret), now())) + 1).toString().padStart(6, "0").slice(-6),
    });
    expect(wrong.status).toBe(400);
    await wrong.body?.cancel();

    const ok = await post("/account/2fa/confirm", cookie, { code: await totp(base32Decode(secret), now()) });
    expect(ok.status).toBe(200);
    const codesHtml = await ok.text();
    recovery = [...codesHtml.matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);
    expect(codesHtml).toContain("Every other session, signed in with the password alone, has been signed out.");
    // Every session signed in with the password alone has ended; this one goes on with a new cookie.
    for (const old of [cookie, elsewhere]) {
      const res = await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: old }, redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/login");
    }
    const renewed = sessionCookie(ok);
    // Shown once: the 2FA page now manages, and no longer shows a secret or codes.
    const after = await (await SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie: renewed } })).text();
    expect(after).toContain("10 recovery code(s) left");
    expect(after).not.toContain(secret.slice(0, 8));
    expect(after).not.toContain(recovery[0]);
  });

  it("after the password, asks for the code and issues no session until then", async () => {
    const first = await login();
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/login/2fa");
    expect(first.headers.get("set-cookie")).not.toMatch(/__Host-docklight_session=[^;]/);
    const pending = pendingCookie(first);
    expect(first.headers.get("set-cookie")).toMatch(/__Host-docklight_2fa=[^;]+;.*HttpOnly/i);
    // The half-signed-in token is not a session.
    const sneak = await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: pending }, redirect: "manual" });
    expect(sneak.status).toBe(302);
    expect(sneak.headers.get("location")).toBe("/login");
    // The code page needs the pending token.
    expect((await SELF.fetch(`${ORIGIN}/login/2fa`, { redirect: "manual" })).status).toBe(302);
    expect((await SELF.fetch(`${ORIGIN}/login/2fa`, { headers: { cookie: pending } })).status).toBe(200);

    const wrong = await post("/login/2fa", pending, { code: "000000" === (await totp(base32Decode(secret), now())) ? "111111" : "000000" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    await wrong.body?.cancel();
    expect((await post("/login/2fa", pending, { code: "not a code" })).status).toBe(400);

    // The next step's code (within the ±1 window, not yet used) signs in.
    usedCode = await totp(base32Decode(secret), now() + 30);
    const ok = await post("/login/2fa", pending, { code: usedCode });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/");
    const session = sessionCookie(ok);
    expect((await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: session } })).status).toBe(200);
  });

  it("refuses a code that was already used (no replay)", async () => {
    const pending = pendingCookie(await login());
    const used = await post("/login/2fa", pending, { code: usedCode });
    expect(used.status).toBe(401);
    await used.body?.cancel();
  });

  it("a recovery code works once in place of a code", async () => {
    const pending = pendingCookie(await login());
    const ok = await post("/login/2fa", pending, { code: recovery[0]!.toUpperCase() });
    expect(ok.status).toBe(303);
    const session = sessionCookie(ok);
    const again = await post("/login/2fa", pendingCookie(await login()), { code: recovery[0]! });
    expect(again.status).toBe(401);
    await again.body?.cancel();
    const account = await (await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: session } })).text();
    expect(account).toContain("9 recovery code(s) left");
    expect(account).toContain("wrong second-factor code");
    expect(account).toContain("password + recovery code");
  });

  it("counts wrong codes against the IP's sign-in limit", async () => {
    const ip = "192.0.2.99";
    const first = await SELF.fetch(`${ORIGIN}/login`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
      body: new URLSearchParams({ password: env.TEST_PASSWORD }).toString(),
      redirect: "manual",
    });
    const pending = pendingCookie(first);
    // The password step counted 1; 4 wrong codes make 5; the next is refused.
    const current = await totp(base32Decode(secret), now());
    const wrongCode = current === "999999" ? "999998" : "999999";
    for (let i = 0; i < 4; i++) expect((await post("/login/2fa", pending, { code: wrongCode }, ip)).status, `code ${i + 1}`).toBe(401);
    const locked = await post("/login/2fa", pending, { code: wrongCode }, ip);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("turning it off needs a valid code", async () => {
    const pending = pendingCookie(await login());
    const session = sessionCookie(await post("/login/2fa", pending, { code: recovery[1]! }));
    expect((await post("/account/2fa/disable", session, { code: "000000" === (await totp(base32Decode(secret), now())) ? "111111" : "000000" })).status).toBe(
      400,
    );
    const off = await post("/account/2fa/disable", session, { code: recovery[2]! });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Two-factor sign-in is off.");
    // The password alone signs in again.
    const plain = await login();
    expect(plain.headers.get("location")).toBe("/");
  });
});
