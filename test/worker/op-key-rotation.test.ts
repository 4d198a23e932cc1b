import { env, SELF } from "cloudflare:test";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { OP_AUDIENCE, OP_ISSUER, OP_KEY_TOKEN_TYPE } from "../../protocol/frames.js";
import { loggedInCookie, ORIGIN } from "./helpers.js";
import { HELLO } from "./stand-in-relay.js";

const publicKey = (x: string) => importJWK({ kty: "OKP", crv: "Ed25519", x }, "EdDSA");

describe("rotating the op-signing key", () => {
  it("sends the connected relay the new key signed by the old one, then signs ops with the new key", async () => {
    const res = await SELF.fetch(`${ORIGIN}/relay/connect?host=demo`, { headers: { upgrade: "websocket", authorization: `Bearer ${env.TEST_RELAY_TOKEN}` } });
    const ws = res.webSocket!;
    ws.accept();
    const frames: Array<{ type: string; id?: string; jws: string }> = [];
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as { type: string; id?: string; jws: string };
      frames.push(frame);
      if (frame.type === "op") ws.send(JSON.stringify({ type: "result", id: frame.id, ok: true, result: { apps: [] } }));
    });
    ws.send(HELLO);
    const cookie = await loggedInCookie();

    const confirm = await SELF.fetch(`${ORIGIN}/signing-key`, { headers: { cookie } });
    expect(await confirm.text()).toContain("Rotate the key");
    const rotated = await SELF.fetch(`${ORIGIN}/signing-key`, { method: "POST", headers: { cookie, origin: ORIGIN, accept: "application/json" } });
    expect(rotated.status).toBe(200);
    const { publicKey: next, told } = (await rotated.json()) as { publicKey: string; told: number };
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next).not.toBe(env.TEST_OP_PUBLIC_X);
    expect(told).toBe(1);

    const keyFrame = frames.find((f) => f.type === "key")!;
    expect(keyFrame).toBeDefined();
    expect(decodeProtectedHeader(keyFrame.jws)).toMatchObject({ alg: "EdDSA", typ: OP_KEY_TOKEN_TYPE });
    const { payload } = await jwtVerify(keyFrame.jws, await publicKey(env.TEST_OP_PUBLIC_X), {
      issuer: OP_ISSUER,
      audience: OP_AUDIENCE,
      typ: OP_KEY_TOKEN_TYPE,
    });
    expect(payload.x).toBe(next);
    await expect(jwtVerify(keyFrame.jws, await publicKey(next))).rejects.toThrow();

    // The next op is signed with the new key, which the relay now trusts, and not with the old one.
    expect((await SELF.fetch(`${ORIGIN}/hosts/demo`, { headers: { cookie } })).status).toBe(200);
    const op = frames.filter((f) => f.type === "op").at(-1)!;
    await expect(jwtVerify(op.jws, await publicKey(next), { issuer: OP_ISSUER, audience: OP_AUDIENCE })).resolves.toBeDefined();
    await expect(jwtVerify(op.jws, await publicKey(env.TEST_OP_PUBLIC_X))).rejects.toThrow();

    // A newly added host is given the new key.
    const added = await SELF.fetch(`${ORIGIN}/hosts`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: "name=after-rotation",
    });
    expect(((await added.json()) as { publicKey: string }).publicKey).toBe(next);
    ws.close(1000, "done");
  });
});
