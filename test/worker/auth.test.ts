import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { login, loggedInCookie, ORIGIN } from "./helpers.js";

describe("edge basics", () => {
  it("answers /api/health without a session", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "docklight-edge" });
  });

  it("redirects pages to /login without a session", async () => {
    for (const path of ["/", "/hosts/demo", "/history", "/hosts/demo/history"]) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toBe("/login");
    }
  });

  it("serves a login form with a password field and strict headers", async () => {
    const res = await SELF.fetch(`${ORIGIN}/login`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="password"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("refuses a wrong password without setting a cookie", async () => {
    const res = await login("not the password");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("That e-mail and password do not match an active account.");
  });

  it("sets an httpOnly, Secure, SameSite=Strict __Host- session cookie on the right password", async () => {
    const res = await login();
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-docklight_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=86400/);
  });

  it("refuses a cross-origin login post", async () => {
    const res = await SELF.fetch(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "password=x",
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });

  it("clears the cookie on logout", async () => {
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/logout`, { method: "POST", headers: { cookie, origin: ORIGIN }, redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/__Host-docklight_session=;.*Max-Age=0/i);
  });

  it("says it is waiting for a relay that never connected (not 'offline'), and refreshes itself without an inline script", async () => {
    const cookie = await loggedInCookie();
    for (const path of ["/hosts/demo", "/hosts/demo/apps/api", "/hosts/demo/databases"]) {
      const res = await SELF.fetch(`${ORIGIN}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(503);
      const html = await res.text();
      expect(html, path).toContain("Waiting for the host&#39;s relay to connect");
      expect(html, path).not.toContain("Host offline");
      expect(html, path).not.toContain("last seen never");
      expect(html, path).toMatch(/<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
      expect(html.match(/http-equiv/g), path).toHaveLength(1); // not hoisted into <head>: with scripts, htmx polls instead
      expect(html, path).toContain('hx-get="/hosts/demo/waiting" hx-trigger="every 2s"');
    }
    // the poll answers "nothing yet" while the relay has never connected
    const poll = await SELF.fetch(`${ORIGIN}/hosts/demo/waiting`, { headers: { cookie, "hx-request": "true" } });
    expect(poll.status).toBe(204);
    expect(poll.headers.get("hx-refresh")).toBeNull();
    // JSON for scripts is not replaced
    const json = await SELF.fetch(`${ORIGIN}/hosts/demo/status.json`, { headers: { cookie } });
    expect(await json.json()).toMatchObject({ connected: false, lastSeen: null });
  });

  it("answers 404 for a host the edge does not know", async () => {
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/hosts/nowhere`, { headers: { cookie } });
    expect(res.status).toBe(404);
  });
});
