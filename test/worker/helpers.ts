import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";

export const ORIGIN = "https://docklight.example";

export async function login(password = env.TEST_PASSWORD): Promise<Response> {
  return SELF.fetch(`${ORIGIN}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams({ password }).toString(),
    redirect: "manual",
  });
}

/** The `name=value` part of a cookie a response set (`session`, `device`, `2fa`). */
export function setCookie(res: Response, name: "session" | "device" | "2fa"): string {
  const set = res.headers.get("set-cookie") ?? "";
  const m = new RegExp(`(__Host-docklight_${name}=[^;]+)`).exec(set);
  if (!m) throw new Error(`no ${name} cookie in: ${set}`);
  return m[1]!;
}

/** The `name=value` part of the session cookie a response set. */
export const sessionCookie = (res: Response) => setCookie(res, "session");

export async function loggedInCookie(): Promise<string> {
  return sessionCookie(await login());
}

/** The global AuthGuard Durable Object, for tests that read or prime its counts. */
export function authGuardStub() {
  const bindings = env as unknown as import("../../worker/env.js").Env;
  return bindings.AUTH_GUARD.get(bindings.AUTH_GUARD.idFromName("global"));
}

/** The strict header set every response must carry (CSP without inline code, HSTS, no framing). */
export function expectStrictHeaders(res: Response, what: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("style-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'none'");
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(res.headers.get("strict-transport-security"), what).toMatch(/max-age=\d{8,}; includeSubDomains/);
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(["no-referrer", "same-origin"], what).toContain(res.headers.get("referrer-policy"));
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
}
