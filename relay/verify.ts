import { errors, importJWK, jwtVerify, type CryptoKey } from "jose";
import { lt } from "drizzle-orm";
import { OP_AUDIENCE, OP_ISSUER, OP_MAX_AGE_SECONDS, OP_TOKEN_TYPE, opClaims, type OpClaims } from "../protocol/frames.js";
import type { RelayDb } from "./db/open.js";
import { seenOps } from "./db/schema.js";

/** Seconds an op's iat may lie in the relay's future (clocks differ a little), and its exp in the past. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export type Verdict = { ok: true; claims: OpClaims } | { ok: false; reason: string };

/** Import the edge's Ed25519 public key, given as the JWK `x` value (base64url, 32 bytes). */
export async function importOpPublicKey(x: string): Promise<CryptoKey> {
  const key = await importJWK({ kty: "OKP", crv: "Ed25519", x }, "EdDSA");
  return key as CryptoKey;
}

/**
 * Checks each op the edge sends: an EdDSA JWS (algorithm pinned), from the edge, for this relay,
 * for this host, not expired, not issued in the future, at most 60 s of validity, and never seen
 * before. Seen op ids are kept in SQLite past their expiry, so a replay is refused even after a
 * relay restart.
 */
export class OpVerifier {
  constructor(
    private readonly key: CryptoKey,
    private readonly host: string,
    private readonly db: RelayDb,
  ) {}

  async verify(frameId: string, jws: string): Promise<Verdict> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jws, this.key, {
        algorithms: ["EdDSA"],
        issuer: OP_ISSUER,
        audience: OP_AUDIENCE,
        typ: OP_TOKEN_TYPE,
        maxTokenAge: `${OP_MAX_AGE_SECONDS}s`,
        requiredClaims: ["jti", "iat", "exp"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { ok: false, reason: "op expired" };
      if (e instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "bad signature" };
      if (e instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `claim check failed: ${e.claim} ${e.reason}` };
      return { ok: false, reason: `op token invalid: ${(e as Error).message}` };
    }
    const claims = opClaims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: "op claims malformed" };
    const c = claims.data;
    if (c.jti !== frameId) return { ok: false, reason: "op id does not match its frame" };
    if (c.host !== this.host) return { ok: false, reason: `op is for host ${c.host}, this is ${this.host}` };
    if (c.exp - c.iat > OP_MAX_AGE_SECONDS) return { ok: false, reason: "op validity window exceeds 60 s" };
    if (!this.remember(c.jti, c.exp)) return { ok: false, reason: "op id already seen (replay)" };
    return { ok: true, claims: c };
  }

  private lastPurge = 0;

  /** Records the op id; false if it was already there. Forgets ids an hour past their expiry. */
  private remember(jti: string, exp: number): boolean {
    const now = Math.floor(Date.now() / 1000);
    if (now - this.lastPurge >= 60) {
      this.lastPurge = now;
      this.db.delete(seenOps).where(lt(seenOps.expiresAt, now - 3600)).run();
    }
    const inserted = this.db.insert(seenOps).values({ jti, expiresAt: exp }).onConflictDoNothing().run();
    return inserted.changes === 1;
  }
}
