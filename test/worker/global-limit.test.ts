import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_FAILURES_GLOBAL } from "../../worker/guard/auth-guard.js";
import { authGuardStub, ORIGIN } from "./helpers.js";

// In a file of its own: workerd storage is isolated per test file, and this fills the global budget.
describe("global ceiling on failed sign-ins", () => {
  it("refuses everyone after 100 failures in 15 minutes, with the same message as a per-IP lockout", async () => {
    expect(MAX_FAILURES_GLOBAL).toBe(100);
    const guard = authGuardStub();
    // 100 failures from 50 addresses, 2 each (none of them locked on its own).
    for (let i = 0; i < MAX_FAILURES_GLOBAL; i++) expect((await guard.beginAttempt(`203.0.113.${i % 50}`)).ok).toBe(true);
    const res = await SELF.fetch(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "cf-connecting-ip": "192.0.2.77" },
      body: new URLSearchParams({ password: env.TEST_PASSWORD }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await res.text();
    expect(html).toContain("Too many sign-in attempts. Try again in 15 minutes.");
    expect(html).not.toMatch(/other|global|everyone|all clients/i);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});
