import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FAILURE_WINDOW_MS, MAX_FAILURES_PER_IP } from "../../worker/guard/attempts.js";
import { authGuardStub, ORIGIN, sessionCookie } from "./helpers.js";

let n = 0;
/** A distinct fake client address per test. */
const fakeIp = () => `198.51.100.${++n}`;

async function loginFrom(ip: string, password: string, ua = "vitest"): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "cf-connecting-ip": ip, "user-agent": ua },
    body: new URLSearchParams({ password }).toString(),
    redirect: "manual",
  });
}

describe("brute-force limit", () => {
  it("allows 5 failures per IP in 15 minutes, then answers 429 with Retry-After, even to the right password", async () => {
    expect(MAX_FAILURES_PER_IP).toBe(5);
    const ip = fakeIp();
    for (let i = 0; i < 5; i++) {
      const res = await loginFrom(ip, `wrong ${i}`);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
      await res.body?.cancel();
    }
    const locked = await loginFrom(ip, "wrong again");
    expect(locked.status).toBe(429);
    const retry = Number(locked.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(FAILURE_WINDOW_MS / 1000 - 60);
    expect(retry).toBeLessThanOrEqual(FAILURE_WINDOW_MS / 1000);
    const text = await locked.text();
    expect(text).toContain("Too many sign-in attempts. Try again in 15 minutes.");
    expect(locked.headers.get("set-cookie")).toBeNull();
    // Locked means locked: the right password does not get in either.
    const right = await loginFrom(ip, env.TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();
  });

  it("counts per IP: another client is not locked out by the first", async () => {
    const a = fakeIp();
    const b = fakeIp();
    for (let i = 0; i < 6; i++) await (await loginFrom(a, "wrong")).body?.cancel();
    expect((await loginFrom(a, "wrong")).status).toBe(429);
    const other = await loginFrom(b, env.TEST_PASSWORD);
    expect(other.status).toBe(303);
    expect(sessionCookie(other)).toMatch(/^__Host-docklight_session=/);
  });

  it("counts exactly under concurrency: of 12 simultaneous guesses exactly 5 are checked", async () => {
    const ip = fakeIp();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => loginFrom(ip, `guess ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    await Promise.all(results.map((r) => r.body?.cancel()));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("a successful sign-in resets that IP's count", async () => {
    const ip = fakeIp();
    for (let i = 0; i < 4; i++) await (await loginFrom(ip, "wrong")).body?.cancel();
    expect((await loginFrom(ip, env.TEST_PASSWORD)).status).toBe(303);
    // A fresh allowance of 5.
    for (let i = 0; i < 5; i++) expect((await loginFrom(ip, "wrong")).status, `after reset ${i + 1}`).toBe(401);
    expect((await loginFrom(ip, "wrong")).status).toBe(429);
  });

  it("records successes and failures with IP and user agent on /account", async () => {
    const ip = fakeIp();
    await (await loginFrom(ip, "nope", "Bad/1.0 (guessing)")).body?.cancel();
    const ok = await loginFrom(ip, env.TEST_PASSWORD, "Good/2.0 (admin)");
    expect(ok.status).toBe(303);
    const page = await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: sessionCookie(ok) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Recent sign-ins");
    expect(html).toContain(ip);
    expect(html).toContain("Bad/1.0 (guessing)");
    expect(html).toContain("Good/2.0 (admin)");
    expect(html).toContain("wrong password");
    expect(html).toContain("signed in");
    expect(html).not.toContain(env.TEST_PASSWORD);
    expect(html).not.toContain("nope");
  });

  it("a missing CF-Connecting-IP falls back to one fixed key", async () => {
    const guard = authGuardStub();
    const before = await guard.failureCount("local");
    await (
      await SELF.fetch(`${ORIGIN}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
        body: "password=wrong",
        redirect: "manual",
      })
    ).body?.cancel();
    expect(await guard.failureCount("local")).toBe(before + 1);
  });
});
