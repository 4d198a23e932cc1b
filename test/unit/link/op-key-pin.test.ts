import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { OP_AUDIENCE, OP_ISSUER, OP_KEY_TOKEN_TYPE, OP_TOKEN_TYPE } from "../../../protocol/frames.js";
import { ALL_GRANTS } from "../../../protocol/principal.js";
import { openDb } from "../../../relay/history/db/open.js";
import { OpVerifier, trustedKeyX } from "../../../relay/link/verify.js";

/** The relay's side of an op-signing key rotation: the statement, the pin in SQLite, and which key wins at start. */

async function keyPair(): Promise<{ privateKey: CryptoKey; x: string }> {
  const { privateKey, publicKey } = await generateKeyPair("Ed25519", { extractable: true });
  return { privateKey, x: (await exportJWK(publicKey)).x! };
}

const statement = (signer: CryptoKey, x: string, typ = OP_KEY_TOKEN_TYPE) =>
  new SignJWT({ x })
    .setProtectedHeader({ alg: "EdDSA", typ })
    .setIssuer(OP_ISSUER)
    .setAudience(OP_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("300s")
    .sign(signer);

async function op(signer: CryptoKey): Promise<{ id: string; jws: string }> {
  const id = randomUUID();
  const jws = await new SignJWT({ host: "demo", op: "apps.list", args: {}, role: "owner", grants: ALL_GRANTS })
    .setProtectedHeader({ alg: "EdDSA", typ: OP_TOKEN_TYPE })
    .setJti(id)
    .setIssuer(OP_ISSUER)
    .setAudience(OP_AUDIENCE)
    .setSubject("admin")
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(signer);
  return { id, jws };
}

const dir = mkdtempSync(join(tmpdir(), "docklight-pin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a key frame", () => {
  it("signed by the trusted key: the new key is pinned, checks later ops, and survives a restart", async () => {
    const [old, next] = await Promise.all([keyPair(), keyPair()]);
    const db = openDb(join(dir, "a.db"));
    const verifier = new OpVerifier(old.x, "demo", db);
    const before = await op(old.privateKey);
    const during = verifier.verify(before.id, before.jws); // arrived before the frame
    const rotated = verifier.rotate(await statement(old.privateKey, next.x));
    const after = await op(next.privateKey);
    expect(await during).toMatchObject({ ok: true });
    expect(await verifier.verify(after.id, after.jws)).toMatchObject({ ok: true });
    expect(await rotated).toEqual({ ok: true, x: next.x });
    expect(await verifier.publicKey()).toBe(next.x);
    const stale = await op(old.privateKey);
    expect(await verifier.verify(stale.id, stale.jws)).toEqual({ ok: false, reason: "bad signature" });

    // Restarted with the same configured key: the pin wins.
    db.$client.close();
    const reopened = openDb(join(dir, "a.db"));
    expect(trustedKeyX(reopened, old.x)).toBe(next.x);
    const again = await op(next.privateKey);
    expect(await new OpVerifier(old.x, "demo", reopened).verify(again.id, again.jws)).toMatchObject({ ok: true });
    // Re-joined with a new command (another configured key): the configured key wins.
    const rejoined = await keyPair();
    expect(trustedKeyX(reopened, rejoined.x)).toBe(rejoined.x);
    reopened.$client.close();
  });

  it("not signed by the trusted key, or of another type: refused, and the old key stays", async () => {
    const [old, next, stranger] = await Promise.all([keyPair(), keyPair(), keyPair()]);
    const db = openDb(":memory:");
    const verifier = new OpVerifier(old.x, "demo", db);
    expect(await verifier.rotate(await statement(stranger.privateKey, next.x))).toEqual({
      ok: false,
      reason: "the new key is not signed by the key this relay trusts",
    });
    expect(await verifier.rotate(await statement(old.privateKey, next.x, OP_TOKEN_TYPE))).toMatchObject({ ok: false });
    expect(await verifier.publicKey()).toBe(old.x);
    expect(trustedKeyX(db, old.x)).toBe(old.x);
    const still = await op(old.privateKey);
    expect(await verifier.verify(still.id, still.jws)).toMatchObject({ ok: true });
  });
});
