import { env, SELF } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app.js";
import { isSameOrigin, requireSameOrigin } from "../../worker/security.js";
import { expectStrictHeaders, loggedInCookie, ORIGIN } from "./helpers.js";
import type { Env as WorkerEnv } from "../../worker/env.js";

const bindings = env as unknown as WorkerEnv;

const EVIL = "https://evil.example";

/** No inline script, no style attribute or element, no inline event handler. */
function expectNoInlineCode(html: string, what: string) {
  expect(html, what).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(html, what).not.toMatch(/<style[\s>]/i);
  expect(html, what).not.toMatch(/\sstyle=/i);
  expect(html, what).not.toMatch(/\son[a-z]+=/i);
  expect(html, what).not.toMatch(/javascript:/i);
}

describe("security headers on every response", () => {
  it("on pages, redirects, error pages, 404s and 429s", async () => {
    const cookie = await loggedInCookie();
    const cases: Array<[string, Promise<Response>]> = [
      ["login page", SELF.fetch(`${ORIGIN}/login`)],
      ["redirect to login", SELF.fetch(`${ORIGIN}/hosts/demo`, { redirect: "manual" })],
      ["account page", SELF.fetch(`${ORIGIN}/account`, { headers: { cookie } })],
      ["2fa enrolment", SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie } })],
      ["unknown host error page", SELF.fetch(`${ORIGIN}/hosts/nowhere`, { headers: { cookie } })],
      ["waiting-for-relay page", SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } })],
      ["404", SELF.fetch(`${ORIGIN}/no/such/page`, { headers: { cookie } })],
      ["health", SELF.fetch(`${ORIGIN}/api/health`)],
      ["403 cross-origin", SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { cookie, origin: EVIL }, redirect: "manual" })],
      [
        "400 bad form",
        SELF.fetch(`${ORIGIN}/login`, {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
          body: "password=",
        }),
      ],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expectStrictHeaders(res, what);
      if ((res.headers.get("content-type") ?? "").includes("text/html")) expectNoInlineCode(await res.text(), what);
      else await res.body?.cancel();
    }
  });

  it("on 429", async () => {
    const ip = "198.18.0.9";
    let res: Response | null = null;
    for (let i = 0; i < 6; i++) {
      res = await SELF.fetch(`${ORIGIN}/login`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
        body: "password=wrong",
      });
      if (i < 5) await res.body?.cancel();
    }
    expect(res!.status).toBe(429);
    expectStrictHeaders(res!, "429");
    expectNoInlineCode(await res!.text(), "429");
  });

  it("on the not-configured page, which names the problem and never a secret", async () => {
    const res = await app.request(`${ORIGIN}/login`, {}, { ...env, SESSION_SECRET: undefined });
    expect(res.status).toBe(503);
    expectStrictHeaders(res, "not configured");
    const html = await res.text();
    expectNoInlineCode(html, "not configured");
    expect(html).toContain("SESSION_SECRET is not set");
    expect(html).not.toContain(bindings.DOCKLIGHT_PASSWORD_HASH!);
    expect(html).not.toContain(bindings.SESSION_SECRET!);
    expect(html).not.toContain(bindings.OP_SIGNING_KEY!);
  });
});

describe("refusing to serve without proper secrets", () => {
  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ["missing password hash", { DOCKLIGHT_PASSWORD_HASH: undefined }, /DOCKLIGHT_PASSWORD_HASH is not set/],
    ["malformed password hash", { DOCKLIGHT_PASSWORD_HASH: "plaintext" }, /not a pbkdf2-sha256/],
    ["hash above the Workers PBKDF2 cap", { DOCKLIGHT_PASSWORD_HASH: "pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA" }, /PBKDF2 iterations/],
    ["missing session secret", { SESSION_SECRET: undefined }, /SESSION_SECRET is not set/],
    ["short session secret", { SESSION_SECRET: "short-secret" }, /at least 32 bytes/],
    ["low-entropy session secret", { SESSION_SECRET: "a".repeat(64) }, /looks weak/],
    ["short previous session secret", { SESSION_SECRET_PREVIOUS: "old-but-short" }, /SESSION_SECRET_PREVIOUS must be at least 32 bytes/],
    ["malformed legacy signing key", { OP_SIGNING_KEY: '{"kty":"OKP"}' }, /OP_SIGNING_KEY is not valid JSON of the expected shape/],
    ["malformed legacy token hashes", { RELAY_TOKEN_HASHES: '{"demo":"not-a-hash"}' }, /RELAY_TOKEN_HASHES is not valid JSON of the expected shape/],
  ];
  for (const [what, override, message] of cases) {
    it(what, async () => {
      for (const path of ["/login", "/", "/account"]) {
        const res = await app.request(`${ORIGIN}${path}`, { redirect: "manual" }, { ...env, ...override });
        expect(res.status, path).toBe(503);
        expect(await res.text(), path).toMatch(message);
      }
      const post = await app.request(
        `${ORIGIN}/login`,
        {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
          body: `password=${encodeURIComponent(env.TEST_PASSWORD)}`,
        },
        { ...env, ...override },
      );
      expect(post.status).toBe(503);
      expect(post.headers.get("set-cookie")).toBeNull();
    });
  }

  it("serves with the test configuration (the control)", async () => {
    const res = await app.request(`${ORIGIN}/login`, {}, { ...env });
    expect(res.status).toBe(200);
  });
});

describe("cross-origin requests", () => {
  it("refuses cross-origin posts to every state-changing route, whatever the content type", async () => {
    const cookie = await loggedInCookie();
    const routes = ["/login", "/login/2fa", "/logout", "/logout/all", "/account/2fa/confirm", "/account/2fa/disable", "/hosts/demo/apps/web/restart"];
    const bodies: Array<[string, Record<string, string>, string | undefined]> = [
      ["form", { "content-type": "application/x-www-form-urlencoded" }, "code=123456&password=x"],
      ["htmx form", { "content-type": "application/x-www-form-urlencoded", "hx-request": "true" }, "code=123456"],
      ["multipart", { "content-type": "multipart/form-data; boundary=x" }, "--x--"],
      ["json", { "content-type": "application/json" }, "{}"],
      ["no body", {}, undefined],
    ];
    for (const path of routes) {
      for (const [kind, headers, body] of bodies) {
        for (const hostile of [{ origin: EVIL }, { "sec-fetch-site": "cross-site" }, { origin: "null", "sec-fetch-site": "cross-site" }] as Array<
          Record<string, string>
        >) {
          const res = await SELF.fetch(`${ORIGIN}${path}`, { method: "POST", headers: { cookie, ...headers, ...hostile }, body, redirect: "manual" });
          expect(res.status, `${path} ${kind} ${JSON.stringify(hostile)}`).toBe(403);
          await res.body?.cancel();
        }
      }
    }
    // The session survived all of that (no logout went through).
    const still = await SELF.fetch(`${ORIGIN}/account`, { headers: { cookie }, redirect: "manual" });
    expect(still.status).toBe(200);
  });

  it("accepts same-origin posts by Origin or by Sec-Fetch-Site", async () => {
    const cookie = await loggedInCookie();
    const byOrigin = await SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { cookie, origin: ORIGIN }, redirect: "manual" });
    expect(byOrigin.status).toBe(303);
    const cookie2 = await loggedInCookie();
    const bySite = await SELF.fetch(`${ORIGIN}/logout`, {
      method: "POST",
      headers: { cookie: cookie2, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(bySite.status).toBe(303);
  });
});

describe("the Origin check for stream and socket endpoints", () => {
  // A stand-in for an SSE route that another part of the edge mounts with the helper.
  const streams = new Hono().get("/events", requireSameOrigin, (c) => c.body("data: hello\n\n", 200, { "content-type": "text/event-stream" }));
  const get = (headers: Record<string, string>) => streams.request(`${ORIGIN}/events`, { headers });

  it("refuses a cross-origin Origin, a cross-site fetch and an opaque origin", async () => {
    expect((await get({ origin: EVIL, accept: "text/event-stream" })).status).toBe(403);
    expect((await get({ origin: "https://docklight.example.evil.example" })).status).toBe(403);
    expect((await get({ origin: "http://docklight.example" })).status).toBe(403);
    expect((await get({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await get({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await get({ origin: "null" })).status).toBe(403);
    expect((await get({ origin: EVIL, upgrade: "websocket" })).status).toBe(403);
  });

  it("lets the dashboard's own page through", async () => {
    const ok = await get({ origin: ORIGIN, accept: "text/event-stream" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("data: hello\n\n");
    expect((await get({ "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  it("isSameOrigin refuses unsafe methods with no origin information at all", () => {
    expect(isSameOrigin(new Request(`${ORIGIN}/x`, { method: "POST" }))).toBe(false);
    expect(isSameOrigin(new Request(`${ORIGIN}/x`))).toBe(true);
    expect(isSameOrigin(new Request(`${ORIGIN}/x`, { method: "POST", headers: { origin: ORIGIN } }))).toBe(true);
  });
});
