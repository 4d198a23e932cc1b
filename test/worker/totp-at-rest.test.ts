import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app.js";
import { deriveKey } from "../../worker/auth/keys.js";
import { unseal } from "../../worker/auth/secret-box.js";
import { base32Decode, totp } from "../../worker/auth/totp.js";
import type { Env as WorkerEnv } from "../../worker/env.js";
import { UNREADABLE_SECRET } from "../../worker/guard/totp-store.js";
import { authGuardStub, ORIGIN, sessionCookie, setCookie } from "./helpers.js";

// In a file of its own: two-factor sign-in stays on here, and the stored secret is rewritten.
const bindings = env as unknown as WorkerEnv;
const OLD = bindings.SESSION_SECRET!;
const NEW = "rotated-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF";

/** The sign-in flow against the edge with some secrets overridden (a deploy with new secrets). */
function edge(secrets: { SESSION_SECRET: string; SESSION_SECRET_PREVIOUS?: string }) {
  const vars = { ...env, ...secrets };
  const post = (path: string, body: Record<string, string>, cookie = "") =>
    app.request(
      `${ORIGIN}${path}`,
      {
        method: "POST",
        headers: { origin: ORIGIN, cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
        redirect: "manual",
      },
      vars,
    );
  return {
    post,
    /** Password, then the code: the final response. */
    async signIn(code: string): Promise<Response> {
      const first = await post("/login", { password: env.TEST_PASSWORD });
      expect(first.headers.get("location")).toBe("/login/2fa");
      return post("/login/2fa", { code }, setCookie(first, "2fa"));
    },
  };
}

/** Every TOTP value the guard keeps, read straight from its SQLite storage. */
function storedTotp(): Promise<Record<string, string>> {
  return runInDurableObject(authGuardStub(), (_: unknown, state: DurableObjectState) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE 'totp%'")
        .toArray()
        .map((r) => [r.key, r.value]),
    ),
  );
}

const ring = async (secret: string) => ({ current: await deriveKey(secret, "totpSecret"), previous: null });
const now = () => Math.floor(Date.now() / 1000);

describe("the TOTP secret at rest", () => {
  let secret = "";
  let recovery: string[] = [];

  it("is sealed while enrolling and once on, never stored in plain text", async () => {
    const cookie = sessionCookie(
      await SELF.fetch(`${ORIGIN}/login`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: env.TEST_PASSWORD }).toString(),
        redirect: "manual",
      }),
    );
    const page = await (await SELF.fetch(`${ORIGIN}/account/2fa`, { headers: { cookie } })).text();
    secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page)![1]!.replace(/ /g, "");
    const enrolling = await storedTotp();
    expect(enrolling.totp_pending).toMatch(/^aesgcm1\./);
    expect(JSON.stringify(enrolling)).not.toContain(secret);

    const ok = await SELF.fetch(`${ORIGIN}/account/2fa/confirm`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ code: await totp(base32Decode(secret), now()) }).toString(),
    });
    expect(ok.status).toBe(200);
    recovery = [...(await ok.text()).matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);
    const on = await storedTotp();
    expect(on.totp_secret).toMatch(/^aesgcm1\./);
    expect(on.totp_pending).toBeUndefined();
    expect(JSON.stringify(on)).not.toContain(secret);
    // It opens with the key derived from the session secret, to the enrolled secret.
    expect((await unseal(on.totp_secret!, await ring(OLD), "totp_secret"))?.plain).toBe(secret);
  });

  it("survives a session-secret rotation done as documented, and is re-sealed under the new key", async () => {
    const before = (await storedTotp()).totp_secret!;
    // Step 1 of the rotation: SESSION_SECRET_PREVIOUS = the old secret, SESSION_SECRET = the new one.
    const rotating = edge({ SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD });
    // A sign-in (here with a recovery code) reads the secret and re-seals it.
    const viaRecovery = await rotating.signIn(recovery[0]!);
    expect(viaRecovery.status).toBe(303);
    const after = (await storedTotp()).totp_secret!;
    expect(after).not.toBe(before);
    expect(await unseal(after, await ring(OLD), "totp_secret")).toBeNull();
    expect((await unseal(after, await ring(NEW), "totp_secret"))?.plain).toBe(secret);

    // Step 2: SESSION_SECRET_PREVIOUS removed. Codes from the app still work.
    const rotated = edge({ SESSION_SECRET: NEW });
    const viaCode = await rotated.signIn(await totp(base32Decode(secret), now() + 30));
    expect(viaCode.status).toBe(303);
    expect(viaCode.headers.get("location")).toBe("/");
  });

  it("a rotation without SESSION_SECRET_PREVIOUS is not silent: the code page says why, recovery codes still work", async () => {
    const wrongKey = edge({ SESSION_SECRET: OLD });
    const refused = await wrongKey.signIn("123456");
    expect(refused.status).toBe(401);
    const html = await refused.text();
    expect(html).toContain(UNREADABLE_SECRET.slice(0, 40));
    expect(html).not.toContain(secret);
    const recovered = await wrongKey.signIn(recovery[1]!);
    expect(recovered.status).toBe(303);
  });

  it("a plain secret stored before sealing is sealed on its first read", async () => {
    await runInDurableObject(authGuardStub(), (_: unknown, state: DurableObjectState) => {
      state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'totp_secret'", secret);
    });
    expect((await storedTotp()).totp_secret).toBe(secret);
    const later = Date.now() + 90_000; // a step after those used above
    const code = await totp(base32Decode(secret), Math.floor(later / 1000));
    expect(await authGuardStub().verifySecondFactor("admin", code, await ring(NEW), later)).toBe("totp");
    const migrated = (await storedTotp()).totp_secret!;
    expect(migrated).toMatch(/^aesgcm1\./);
    expect((await unseal(migrated, await ring(NEW), "totp_secret"))?.plain).toBe(secret);
  });
});
