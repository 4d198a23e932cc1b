import { describe, expect, it } from "vitest";
import { securityHeaderList } from "../../worker/security.js";
import { STATIC_FILES } from "../support/static-files.js";
import { useStack } from "../support/use-stack.js";

const stack = useStack();

/** Every header the Worker's middleware sets, with the same value, and a CSP with no inline code. */
async function expectSecurityHeaders(res: Response, what: string) {
  const list = await securityHeaderList();
  expect(list.length).toBeGreaterThanOrEqual(10);
  for (const [name, value] of list) expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval/);
  await res.body?.cancel();
}

describe("security headers on every kind of response from wrangler dev", () => {
  it("static files, served by Workers assets before the Worker runs", async () => {
    for (const [path, type] of STATIC_FILES) {
      const res = await fetch(`${stack.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain(type);
      await expectSecurityHeaders(res, path);
    }
  });

  it("pages, redirects (302), 404s and 400s from the Worker", async () => {
    const cases: Array<[string, number, Promise<Response>]> = [
      ["login page", 200, fetch(`${stack.url}/login`)],
      ["dashboard", 200, fetch(`${stack.url}/hosts/demo`, { headers: { cookie: stack.cookie } })],
      ["302 to login", 302, fetch(`${stack.url}/hosts/demo`, { redirect: "manual" })],
      ["404", 404, fetch(`${stack.url}/no/such/page`, { headers: { cookie: stack.cookie } })],
      [
        "400",
        400,
        fetch(`${stack.url}/login`, {
          method: "POST",
          headers: { origin: stack.url, "content-type": "application/x-www-form-urlencoded" },
          body: "password=",
        }),
      ],
    ];
    for (const [what, status, pending] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      await expectSecurityHeaders(res, what);
    }
  });

  // (Its 401 and 503 are covered by the worker tests: Node's fetch cannot send an upgrade.)
  it("the relay endpoint's 426", async () => {
    const plain = await fetch(`${stack.url}/relay/connect?host=demo`);
    expect(plain.status).toBe(426);
    await expectSecurityHeaders(plain, "426");
  });
});
