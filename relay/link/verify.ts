import { errors, importJWK, jwtVerify, type CryptoKey } from "jose";
import { eq, lt, sql } from "drizzle-orm";
import {
  OP_AUDIENCE,
  OP_ISSUER,
  OP_KEY_MAX_AGE_SECONDS,
  OP_KEY_TOKEN_TYPE,
  OP_MAX_AGE_SECONDS,
  OP_TOKEN_TYPE,
  opClaims,
  opKeyClaims,
  type OpClaims,
} from "../../protocol/frames.js";
import type { RelayDb } from "../history/db/open.js";
import { pinnedKey, seenOps } from "../history/db/schema.js";

/** Seconds an op's iat may lie in the relay's future (clocks differ a little), and its exp in the past. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export type Verdict = { ok: true; claims: OpClaims } | { ok: false; reason: string };

/** How a key frame ended: the new key `x` is pinned, or why not (the old key stays). */
export type KeyVerdict = { ok: true; x: string } | { ok: false; reason: string };

interface TrustedKey {
  x: string;
  key: CryptoKey;
}

/** Import the edge's Ed25519 public key, given as the JWK `x` value (base64url, 32 bytes). */
export async function importOpPublicKey(x: string): Promise<CryptoKey> {
  const key = await importJWK({ kty: "OKP", crv: "Ed25519", x }, "EdDSA");
  return key as CryptoKey;
}

/**
 * The public key (JWK `x`) ops are checked with: the key pinned by the edge's last key rotation
 * while DOCKLIGHT_OP_PUBLIC_KEY is still the one it was rotated from, else the configured key.
 */
export function trustedKeyX(db: RelayDb, configured: string): string {
  const pin = db.select().from(pinnedKey).where(eq(pinnedKey.id, 1)).get();
  return pin && pin.configured === configured ? pin.x : configured;
}

/** `INSERT … ON CONFLICT DO NOTHING` of a seen op id (placeholders `jti`, `exp`), prepared. */
function prepareSeenInsert(db: RelayDb) {
  return db
    .insert(seenOps)
    .values({ jti: sql.placeholder("jti"), expiresAt: sql.placeholder("exp") })
    .onConflictDoNothing()
    .prepare();
}

/**
 * Checks each op the edge sends: an EdDSA JWS (algorithm pinned), from the edge, for this relay,
 * for this host, not expired, not issued in the future, at most 60 s of validity, and never seen
 * before. Seen op ids are kept in SQLite past their expiry, so a replay is refused even after a
 * relay restart.
 */
export class OpVerifier {
  /** The key in force; a key frame replaces it, and ops that arrive after the frame wait for it. */
  private trusted: Promise<TrustedKey>;

  /** `configured`: DOCKLIGHT_OP_PUBLIC_KEY; a key pinned by an earlier rotation from it is used instead. */
  constructor(
    private readonly configured: string,
    private readonly host: string,
    private readonly db: RelayDb,
  ) {
    this.insertSeen = prepareSeenInsert(db);
    const x = trustedKeyX(db, configured);
    this.trusted = importOpPublicKey(x).then((key) => ({ x, key }));
  }

  /** The public key (JWK `x`) ops are checked with now. */
  async publicKey(): Promise<string> {
    return (await this.trusted).x;
  }

  /**
   * A key frame: `jws` must be a statement of the new key signed by the key in force (type, issuer,
   * audience, at most 5 minutes old). Then the new key is pinned in SQLite and checks every later
   * op; ops that arrived before the frame are still checked with the old key.
   */
  rotate(jws: string): Promise<KeyVerdict> {
    const before = this.trusted;
    const verdict = before.then((current) => this.checkStatement(jws, current.key));
    this.trusted = Promise.all([before, verdict]).then(([current, v]) => (v.ok ? v.next : current));
    return verdict.then((v) => (v.ok ? { ok: true, x: v.next.x } : v));
  }

  private async checkStatement(jws: string, key: CryptoKey): Promise<{ ok: true; next: TrustedKey } | { ok: false; reason: string }> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jws, key, {
        algorithms: ["EdDSA"],
        issuer: OP_ISSUER,
        audience: OP_AUDIENCE,
        typ: OP_KEY_TOKEN_TYPE,
        maxTokenAge: `${OP_KEY_MAX_AGE_SECONDS}s`,
        requiredClaims: ["iat", "exp"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "the new key is not signed by the key this relay trusts" };
      return { ok: false, reason: `key statement invalid: ${(e as Error).message}` };
    }
    const claims = opKeyClaims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: "key statement malformed" };
    const { x } = claims.data;
    const next = { x, key: await importOpPublicKey(x) };
    const row = { id: 1, x, configured: this.configured, pinnedAt: Date.now() };
    this.db.insert(pinnedKey).values(row).onConflictDoUpdate({ target: pinnedKey.id, set: row }).run();
    return { ok: true, next };
  }

  async verify(frameId: string, jws: string): Promise<Verdict> {
    // Read before any await: an op is checked with the key in force when it arrived.
    const trusted = this.trusted;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jws, (await trusted).key, {
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
  /** Built and prepared once: it runs for every op (drizzle would build the SQL and SQLite parse it each time). */
  private readonly insertSeen: ReturnType<typeof prepareSeenInsert>;

  /** Records the op id; false if it was already there. Forgets ids an hour past their expiry. */
  private remember(jti: string, exp: number): boolean {
    const now = Math.floor(Date.now() / 1000);
    if (now - this.lastPurge >= 60) {
      this.lastPurge = now;
      this.db
        .delete(seenOps)
        .where(lt(seenOps.expiresAt, now - 3600))
        .run();
    }
    return this.insertSeen.run({ jti, exp }).changes === 1;
  }
}
