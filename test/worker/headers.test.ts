import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app.js";
import type { Env as WorkerEnv } from "../../worker/env.js";
import { IMMUTABLE, securityHeaderList } from "../../worker/security.js";
import { ASSET_MANIFEST, HASH_CHARS, VERSIONED_ASSETS } from "../../worker/static-assets.js";
import { STATIC_FILES } from "../support/static-files.js";
import { expectStrictHeaders, loggedInCookie, ORIGIN } from "./helpers.js";

const bindings = env as unknown as WorkerEnv;

/** The strict set, and exactly the values the Worker's middleware sets (their one home). */
async function expectAllHeaders(res: Response, what: string) {
  expectStrictHeaders(res, what);
  const list = await securityHeaderList();
  expect(list.length, "header list").toBeGreaterThanOrEqual(10);
  for (const [name, value] of list) expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
  await res.body?.cancel();
}

describe("security headers on static files (Workers assets and public/_headers)", () => {
  // The assets binding runs Cloudflare's asset server, which applies public/_headers as in production.
  for (const [path, type] of STATIC_FILES) {
    it(path, async () => {
      const res = await bindings.ASSETS.fetch(`${ORIGIN}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type);
      await expectAllHeaders(res, path);
    });
  }

  it("on the asset server's own 404", async () => {
    const res = await bindings.ASSETS.fetch(`${ORIGIN}/no-such-file.css`);
    expect(res.status).toBe(404);
    await expectAllHeaders(res, "asset 404");
  });
});

describe("versioned static files (worker/static-assets.ts)", () => {
  const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

  it("each is served for a year without revalidation, at the version its bytes hash to, and pages link that version", async () => {
    const manifest = (await (await bindings.ASSETS.fetch(`${ORIGIN}${ASSET_MANIFEST}`)).json()) as Record<string, string>;
    expect(Object.keys(manifest).sort()).toEqual([...VERSIONED_ASSETS].sort());
    for (const [path, version] of Object.entries(manifest)) {
      const res = await bindings.ASSETS.fetch(`${ORIGIN}${path}?v=${version}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe(IMMUTABLE);
      expect(hex(await crypto.subtle.digest("SHA-256", await res.arrayBuffer())).slice(0, HASH_CHARS), path).toBe(version);
    }
    // an unversioned file keeps a cache the browser revalidates
    const favicon = await bindings.ASSETS.fetch(`${ORIGIN}/favicon.svg`);
    expect(favicon.headers.get("cache-control") ?? "").not.toContain("immutable");
    await favicon.body?.cancel();
    const login = await (await SELF.fetch(`${ORIGIN}/login`)).text();
    expect(login).toContain(`<link rel="stylesheet" href="/app.css?v=${manifest["/app.css"]}"/>`);
    expect(login).toContain(`<script src="/vendor/htmx-sse.min.js?v=${manifest["/vendor/htmx-sse.min.js"]}"></script>`);
  });
});

describe("security headers on every kind of Worker response", () => {
  it("redirect (302), 404, 400", async () => {
    const redirect = await SELF.fetch(`${ORIGIN}/hosts/demo`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    await expectAllHeaders(redirect, "302");
    const missing = await SELF.fetch(`${ORIGIN}/no/such/page`, { headers: { cookie: await loggedInCookie() }, redirect: "manual" });
    expect(missing.status).toBe(404);
    await expectAllHeaders(missing, "404");
    const bad = await SELF.fetch(`${ORIGIN}/login`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "password=",
    });
    expect(bad.status).toBe(400);
    await expectAllHeaders(bad, "400");
  });

  it("an unexpected error (500)", async () => {
    const broken = {
      idFromName() {
        throw new Error("storage unavailable");
      },
    };
    const res = await app.request(
      `${ORIGIN}/login`,
      { method: "POST", headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }, body: "password=wrong" },
      { ...env, AUTH_GUARD: broken },
    );
    expect(res.status).toBe(500);
    expect(await res.clone().text()).not.toContain("storage unavailable");
    await expectAllHeaders(res, "500");
  });

  it("the relay endpoint's refusals: 426 without an upgrade, 401 with a bad token, 503 unconfigured", async () => {
    const noUpgrade = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`);
    expect(noUpgrade.status).toBe(426);
    await expectAllHeaders(noUpgrade, "426");
    const badToken = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: "Bearer nope" } });
    expect(badToken.status).toBe(401);
    await expectAllHeaders(badToken, "401");
    const unconfigured = await app.request(`${ORIGIN}/relay/connect?host=demo`, {}, { ...env, SESSION_SECRET: undefined });
    expect(unconfigured.status).toBe(503);
    await expectAllHeaders(unconfigured, "503");
  });

  it("the relay's 101 still opens (its headers are left alone)", async () => {
    const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, {
      headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` },
    });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000, "done");
  });
});
