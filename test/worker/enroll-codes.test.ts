import { env, runInDurableObject, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { CLOSE_REVOKED } from "../../protocol/frames.js";
import type { HostRegistry } from "../../worker/registry/host-registry.js";
import { ENROLL_CODE_TTL_MS, MAX_ENROLL_FAILURES_PER_IP } from "../../worker/registry/codes.js";
import { commandIn, connectRelay, enroll, exchange } from "./enroll-helpers.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";

/**
 * One-time enrollment codes: the install command carries a code that the installer trades once,
 * within an hour, for the relay token (`POST /relay/enroll`). The registry's clock is set through
 * runInDurableObject, so expiry is tested without waiting.
 */

const registry = () => env.HOST_REGISTRY.get(env.HOST_REGISTRY.idFromName("global"));
const setClock = (offsetMs: number) =>
  runInDurableObject(registry(), (r: HostRegistry) => {
    r.clock = () => Date.now() + offsetMs;
  });
afterEach(() => setClock(0));

const post = async (path: string, form: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { cookie: await loggedInCookie(), origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
const check = (host: string, token: string) => SELF.fetch(`${ORIGIN}/relay/check?host=${host}`, { headers: { authorization: `Bearer ${token}` } });

async function added(name: string) {
  const res = await post("/hosts", { name });
  expect(res.status).toBe(200);
  return commandIn(await res.text());
}

const refusal = async (res: Response) => ({ status: res.status, error: ((await res.json()) as { error?: string }).error ?? "" });

describe("the install command", () => {
  it("carries a one-time code, never the token; the code buys the token once, and the token works", async () => {
    const cmd = await added("code once");
    expect(cmd.command).not.toContain("--token");
    const res = await enroll(cmd.id, cmd.code);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    // One key a line: what install.sh reads with sed.
    expect(text).toMatch(/^ "token": "[A-Za-z0-9_-]{43}",?$/m);
    const body = JSON.parse(text) as { host: string; token: string; publicKey: string };
    expect(body).toMatchObject({ host: cmd.id, publicKey: cmd.key });
    expect(body.token).not.toBe(cmd.code);
    expect(cmd.command).not.toContain(body.token);
    expect((await check(cmd.id, body.token)).status).toBe(204);
    // Until then, no token was accepted for the host: the code is not a token either.
    expect((await check(cmd.id, cmd.code)).status).toBe(401);
  });

  it("a used code is refused, saying to make a new one on the Hosts page, and changes nothing", async () => {
    const cmd = await added("code reused");
    const token = await exchange(cmd.id, cmd.code);
    const again = await refusal(await enroll(cmd.id, cmd.code));
    expect(again.status).toBe(403);
    expect(again.error).toMatch(/already used at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(again.error).toContain("make a new install command on the edge's Hosts page");
    expect((await check(cmd.id, token)).status).toBe(204);
  });

  it("expires after an hour: refused with the message, while a code just under an hour old still works", async () => {
    const late = await added("code late");
    const inTime = await added("code in time");
    await setClock(ENROLL_CODE_TTL_MS + 1000);
    const refused = await refusal(await enroll(late.id, late.code));
    expect(refused.status).toBe(403);
    expect(refused.error).toContain("this enrollment code expired at");
    expect(refused.error).toContain("(a code lasts 1 hour): make a new install command on the edge's Hosts page");
    await setClock(ENROLL_CODE_TTL_MS - 60_000);
    expect((await enroll(inTime.id, inTime.code)).status).toBe(200);
  });

  it("is consumed once under concurrency: of 20 exchanges at once exactly one gets a token", async () => {
    const cmd = await added("code race");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => enroll(cmd.id, cmd.code, `198.51.100.${i + 1}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(19);
    const tokens = (await Promise.all(answers.map((r) => r.json()))).map((b) => (b as { token?: string }).token).filter(Boolean);
    expect(tokens).toHaveLength(1);
    expect((await check(cmd.id, tokens[0]!)).status).toBe(204);
  });

  it("a new command replaces the host's code; run, it replaces the token and disconnects the relay that used the old one", async () => {
    const first = await added("code renewed");
    const oldToken = await exchange(first.id, first.code);
    const { closed } = await connectRelay(first.id, oldToken);

    const page = await post(`/hosts/${first.id}/code`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`New install command for code renewed`);
    const second = commandIn(html);
    expect(second.code).not.toBe(first.code);
    // Making it disconnects nothing.
    expect((await check(first.id, oldToken)).status).toBe(204);
    const newToken = await exchange(second.id, second.code);
    expect(await closed).toEqual({ code: CLOSE_REVOKED, reason: expect.stringContaining("installed again with a new install command") });
    expect((await check(first.id, oldToken)).status).toBe(401);
    expect((await check(first.id, newToken)).status).toBe(204);
    expect((await refusal(await enroll(first.id, first.code))).error).toContain("replaced by a newer one");
  });

  it("a code of another host, or of no host, is refused; a malformed form is a 400 naming the field", async () => {
    const a = await added("code of a");
    const b = await added("code of b");
    const wrong = await refusal(await enroll(b.id, a.code));
    expect(wrong.status).toBe(403);
    expect(wrong.error).toContain(`this is not an enrollment code of host ${b.id}`);
    expect(wrong.error).toContain("Hosts page");
    expect((await enroll("nobody", a.code)).status).toBe(403);
    const bad = await refusal(await enroll(a.id, "short"));
    expect(bad.status).toBe(400);
    expect(bad.error).toContain("code: code must be the enrollment code");
    // Both codes still work: refusals consume nothing.
    expect((await enroll(a.id, a.code)).status).toBe(200);
    expect((await enroll(b.id, b.code)).status).toBe(200);
  });

  it("is rate-limited per address: past its refusals even a good code waits (429, Retry-After); other addresses do not", async () => {
    const cmd = await added("code limited");
    const ip = "203.0.113.9";
    for (let i = 0; i < MAX_ENROLL_FAILURES_PER_IP; i++) expect((await enroll(cmd.id, "x".repeat(24), ip)).status).toBe(403);
    const limited = await enroll(cmd.id, cmd.code, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refusal(limited)).error).toContain("too many refused enrollment codes");
    expect((await enroll(cmd.id, cmd.code, "203.0.113.10")).status).toBe(200);
  });

  it("the Hosts page offers a new command for every host", async () => {
    const cmd = await added("code listed");
    const html = await (await SELF.fetch(`${ORIGIN}/hosts`, { headers: { cookie: await loggedInCookie() } })).text();
    expect(html).toContain(`action="/hosts/${cmd.id}/code"`);
  });
});
