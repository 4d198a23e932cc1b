import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { login, loggedInCookie, ORIGIN } from "./helpers.js";

describe("edge basics", () => {
  it("answers /api/health without a session", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
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
    expect(await res.text()).toContain("That password is not right.");
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

  it("shows a clear host-offline page when no relay is connected", async () => {
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } });
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain("Host offline");
    expect(html).toContain("relay is not connected");
  });

  it("answers 404 for a host the edge does not know", async () => {
    const cookie = await loggedInCookie();
    const res = await SELF.fetch(`${ORIGIN}/hosts/nowhere`, { headers: { cookie } });
    expect(res.status).toBe(404);
  });
});
