import { env, SELF } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { Env as WorkerEnv } from "../../worker/env.js";
import { DEVICE_AUDIENCE } from "../../worker/auth/device.js";
import { FAILURE_WINDOW_MS, MAX_FAILURES_GLOBAL, MAX_FAILURES_PER_DEVICE, MAX_FAILURES_PER_IP, SLOWED_INTERVAL_MS } from "../../worker/guard/attempts.js";
import { authGuardStub, ORIGIN, sessionCookie, setCookie } from "./helpers.js";

// In a file of its own: workerd storage is isolated per test file, and this fills the global budget.

async function loginFrom(ip: string, password: string, cookie?: string): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/login`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "cf-connecting-ip": ip,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams({ password }).toString(),
    redirect: "manual",
  });
}

let n = 0;
/** A fresh documentation address (IPv6, so there are plenty). */
const freshIp = () => `2001:db8::${(++n).toString(16)}`;

async function expectSlowed(res: Response, what: string) {
  expect(res.status, what).toBe(429);
  const retry = Number(res.headers.get("retry-after"));
  expect(retry, what).toBeGreaterThanOrEqual(1);
  expect(retry, what).toBeLessThanOrEqual(SLOWED_INTERVAL_MS / 1000);
  const alert = /role="alert">([^<]*)</.exec(await res.text())?.[1];
  // The same message as any lock-out: it tells nothing about other clients or known browsers.
  expect(alert, what).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds?\.$/);
  expect(res.headers.get("set-cookie"), what).toBeNull();
}

describe("global ceiling on sign-in attempts: capped, but no lock-out for a known browser", () => {
  let device = "";

  it("200 failed logins from 200 addresses: unknown browsers are slowed, the known browser signs in", { timeout: 180_000 }, async () => {
    expect(MAX_FAILURES_GLOBAL).toBe(100);
    // The admin's browser signed in here before the attack: it carries a device cookie.
    const before = await loginFrom(freshIp(), env.TEST_PASSWORD);
    expect(before.status).toBe(303);
    device = setCookie(before, "device");
    expect(before.headers.get("set-cookie")).toMatch(/__Host-docklight_device=[^;]+;[^,]*HttpOnly/i);

    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await loginFrom(freshIp(), `guess ${i}`);
      statuses.push(res.status);
      if (res.status === 429) await expectSlowed(res, `attempt ${i + 1}`);
      else await res.body?.cancel();
    }
    const elapsed = Date.now() - started;
    // Up to the ceiling every address is heard, and one more: the first slowed attempt.
    expect(statuses.slice(0, MAX_FAILURES_GLOBAL + 1).every((s) => s === 401)).toBe(true);
    // Past it, one attempt per interval between all unknown browsers; the rest are refused.
    const heardLater = statuses.slice(MAX_FAILURES_GLOBAL + 1).filter((s) => s === 401).length;
    expect(heardLater).toBeLessThanOrEqual(Math.ceil(elapsed / SLOWED_INTERVAL_MS));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(200 - MAX_FAILURES_GLOBAL - 1 - heardLater);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);

    // An unknown browser, even with the right password, waits its turn (seconds, not minutes).
    await (await loginFrom(freshIp(), "one more guess")).body?.cancel(); // takes the slot, or finds it taken
    await expectSlowed(await loginFrom(freshIp(), env.TEST_PASSWORD), "unknown browser, right password");

    // The known browser is not subject to the global ceiling: it signs in at once.
    const known = await loginFrom(freshIp(), env.TEST_PASSWORD, device);
    expect(known.status).toBe(303);
    const session = sessionCookie(known);
    expect((await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie: session } })).status).toBe(200);
    // Its device cookie is renewed with the same device id.
    expect(setCookie(known, "device")).toMatch(/^__Host-docklight_device=/);
  });

  it("per-address limits still apply to the known browser", async () => {
    const ip = freshIp();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      const res = await loginFrom(ip, `typo ${i}`, device);
      expect(res.status, `typo ${i + 1}`).toBe(401);
      await res.body?.cancel();
    }
    const locked = await loginFrom(ip, env.TEST_PASSWORD, device);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(FAILURE_WINDOW_MS / 1000 - 60);
    expect(await locked.text()).toContain("Try again in 15 minutes.");
  });

  it("a device cookie spread over many addresses is capped per device", async () => {
    const guess = async () => loginFrom(freshIp(), "stolen cookie guess", device);
    // The previous test's 5 typos count against this device as well.
    for (let i = MAX_FAILURES_PER_IP; i < MAX_FAILURES_PER_DEVICE; i++) expect((await guess()).status, `guess ${i + 1}`).toBe(401);
    const capped = await guess();
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get("retry-after"))).toBeGreaterThan(FAILURE_WINDOW_MS / 1000 - 60);
  });

  it("a forged or foreign device cookie is an unknown browser", async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(crypto.randomUUID())
      .setIssuer("docklight")
      .setAudience(DEVICE_AUDIENCE)
      .setExpirationTime("1h")
      // Signed with the session secret itself, not the device key derived from it.
      .sign(new TextEncoder().encode((env as unknown as WorkerEnv).SESSION_SECRET!));
    await (await loginFrom(freshIp(), "guess")).body?.cancel();
    await expectSlowed(await loginFrom(freshIp(), env.TEST_PASSWORD, `__Host-docklight_device=${forged}`), "forged device cookie");
    await expectSlowed(await loginFrom(freshIp(), env.TEST_PASSWORD, `__Host-docklight_device=${device.split("=")[1]!.slice(0, -2)}xx`), "tampered");
  });

  it("slowed, never shut: one unknown browser per interval is heard", async () => {
    const guard = authGuardStub();
    const later = Date.now() + SLOWED_INTERVAL_MS;
    expect(await guard.beginAttempt(freshIp(), null, later)).toEqual({ ok: true });
    expect(await guard.beginAttempt(freshIp(), null, later)).toEqual({ ok: false, retryAfterSeconds: SLOWED_INTERVAL_MS / 1000 });
    expect(await guard.beginAttempt(freshIp(), null, later + SLOWED_INTERVAL_MS)).toEqual({ ok: true });
  });
});
