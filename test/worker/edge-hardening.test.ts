import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { base32Decode, totp } from "../../worker/auth/totp.js";
import { MAX_CHECKS_PER_HOST, MAX_CHECKS_PER_IP } from "../../worker/guard/check-limits.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

const check = (token: string, ip: string, host = "demo") =>
  SELF.fetch(`${ORIGIN}/relay/check?host=${host}`, { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": ip } });

describe("the edge's smaller doors", () => {
  it("limits /relay/check per client IP and per host, and never shows its refusals as refused relays", async () => {
    const wrong = "w".repeat(43);
    for (let i = 0; i < MAX_CHECKS_PER_IP; i++) expect((await check(wrong, "192.0.2.1")).status).toBe(401);
    const limited = await check(env.TEST_RELAY_TOKEN, "192.0.2.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address still checks its token, until the host's own limit is reached from all of them.
    expect((await check(env.TEST_RELAY_TOKEN, "192.0.2.2")).status).toBe(204);
    for (let i = MAX_CHECKS_PER_IP + 1; i < MAX_CHECKS_PER_HOST; i++) await check(wrong, `198.51.100.${i}`);
    expect((await check(env.TEST_RELAY_TOKEN, "203.0.113.9")).status).toBe(429);
    // Twenty failed checks later, the Hosts page still says no relay of this host was refused.
    const hosts = await (await SELF.fetch(`${ORIGIN}/hosts`, { headers: { cookie: await loggedInCookie() } })).text();
    expect(hosts).not.toMatch(/was refused/);
  });

  it("refuses offset on a history export with a 400 that says so", async () => {
    const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
    const ws = res.webSocket!;
    ws.accept();
    ws.send(HELLO);
    const cookie = await loggedInCookie();
    const out = await SELF.fetch(`${ORIGIN}/hosts/demo/history/export.csv?offset=50`, { headers: { cookie } });
    expect(out.status).toBe(400);
    expect(await out.text()).toContain("offset does not apply to an export");
    ws.close();
  });

  it("counts host names that differ only by look-alike or invisible characters as one name, and refuses invisible ones", async () => {
    const cookie = await loggedInCookie();
    const add = (name: string) =>
      SELF.fetch(`${ORIGIN}/hosts`, {
        method: "POST",
        headers: { cookie, origin: ORIGIN, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name }),
      });
    expect((await add("Prod EU")).status).toBe(201);
    for (const alike of ["ｐｒｏｄ ｅｕ", "PROD  EU", "ℙrod EU", "Pr\u043Ed EU", "\u0420rod \u0415U"]) {
      const r = await add(alike);
      expect(r.status, alike).toBe(400);
      expect(await r.text()).toContain("already exists");
    }
    const hidden = await add("Prod\u200B EU");
    expect(hidden.status).toBe(400);
    expect(await hidden.text()).toContain("invisible");
  });
  // Last: it turns two-factor sign-in on, which the sign-ins above do not expect.
  it("keeps the TOTP secret and recovery-code pages out of every cache", async () => {
    const cookie = await loggedInCookie();
    const enrol = await SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie } });
    const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(await enrol.text())![1]!.replace(/ /g, "");
    expect(enrol.headers.get("cache-control")).toBe("no-store");
    const wrong = await SELF.fetch(`${ORIGIN}/account/2fa/confirm`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "code=000000",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
    const codes = await SELF.fetch(`${ORIGIN}/account/2fa/confirm`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code: await totp(base32Decode(secret), Math.floor(Date.now() / 1000)) }).toString(),
    });
    expect(codes.status).toBe(200);
    expect(await codes.text()).toMatch(/<code>[a-z2-7]{5}-[a-z2-7]{5}<\/code>/);
    expect(codes.headers.get("cache-control")).toBe("no-store");
  });
});
