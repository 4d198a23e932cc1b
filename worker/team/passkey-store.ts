/** How long a WebAuthn challenge may be answered (ms): the ceremony's own timeout, with room to spare. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** Sign-in challenges kept outstanding at most (they are made before any account is known): the oldest go first. */
const SIGN_IN_CHALLENGES_KEPT = 1000;

/** What a challenge was made for: adding a passkey to an account, or signing in with one. */
export type ChallengePurpose = "register" | "sign-in";

/** A passkey as its owner's Account page lists it (never its public key). */
export interface PasskeyView {
  /** The credential id, base64url. */
  id: string;
  name: string;
  /** ms since epoch */
  createdAt: number;
  lastUsedAt: number | null;
  /** Whether the authenticator said it is synced (a multi-device passkey). */
  backedUp: boolean;
}

/** A credential as verification needs it. */
export interface StoredCredential {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (0: the authenticator keeps none). */
  counter: number;
  transports: string[];
}

type PasskeyRow = {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  counter: number;
  transports: string;
  backed_up: number;
  created_at: number;
  last_used_at: number | null;
};

/**
 * The Team's passkeys (WebAuthn credentials) and the challenges of ceremonies under way, in its
 * SQLite. Challenges are single-use and live CHALLENGE_TTL_MS: taking one deletes it in the same
 * step that reads it (no `await` between), so an assertion replayed, or answered twice at once,
 * finds none the second time. A credential's counter only moves forward.
 */
export class PasskeyStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS passkeys (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, public_key TEXT NOT NULL,
        counter INTEGER NOT NULL, transports TEXT NOT NULL, backed_up INTEGER NOT NULL,
        created_at INTEGER NOT NULL, last_used_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS passkeys_user ON passkeys (user_id);
      CREATE TABLE IF NOT EXISTS webauthn_challenges (
        challenge TEXT PRIMARY KEY, purpose TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL
      );
    `);
  }

  /** Keeps `challenge` for one answer within CHALLENGE_TTL_MS; `userId` "" for a sign-in (no account known yet). */
  keepChallenge(challenge: string, purpose: ChallengePurpose, userId: string, now: number): void {
    this.sql.exec("DELETE FROM webauthn_challenges WHERE expires_at <= ?", now);
    this.sql.exec(
      "INSERT OR REPLACE INTO webauthn_challenges (challenge, purpose, user_id, expires_at) VALUES (?, ?, ?, ?)",
      challenge,
      purpose,
      userId,
      now + CHALLENGE_TTL_MS,
    );
    if (purpose === "sign-in") {
      this.sql.exec(
        "DELETE FROM webauthn_challenges WHERE purpose = 'sign-in' AND challenge NOT IN (SELECT challenge FROM webauthn_challenges WHERE purpose = 'sign-in' ORDER BY expires_at DESC LIMIT ?)",
        SIGN_IN_CHALLENGES_KEPT,
      );
    }
  }

  /** Spends `challenge`: true once, if it was made for `purpose` (and `userId`) and has not expired. */
  takeChallenge(challenge: string, purpose: ChallengePurpose, userId: string, now: number): boolean {
    const row = this.sql
      .exec<{ purpose: string; user_id: string; expires_at: number }>(
        "SELECT purpose, user_id, expires_at FROM webauthn_challenges WHERE challenge = ?",
        challenge,
      )
      .toArray()[0];
    if (!row) return false;
    this.sql.exec("DELETE FROM webauthn_challenges WHERE challenge = ?", challenge);
    return row.purpose === purpose && row.user_id === userId && row.expires_at > now;
  }

  /** `userId`'s passkeys, oldest first. */
  of(userId: string): PasskeyView[] {
    return this.sql
      .exec<PasskeyRow>("SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id", userId)
      .toArray()
      .map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, backedUp: r.backed_up === 1 }));
  }

  /** `userId`'s credential ids and transports (registration excludes them: one passkey per authenticator). */
  credentialsOf(userId: string): Array<{ id: string; transports: string[] }> {
    return this.sql
      .exec<PasskeyRow>("SELECT * FROM passkeys WHERE user_id = ?", userId)
      .toArray()
      .map((r) => ({ id: r.id, transports: JSON.parse(r.transports) as string[] }));
  }

  /** One credential by id, or null. */
  credential(id: string): StoredCredential | null {
    const r = this.sql.exec<PasskeyRow>("SELECT * FROM passkeys WHERE id = ?", id).toArray()[0];
    return r ? { id: r.id, userId: r.user_id, publicKey: r.public_key, counter: r.counter, transports: JSON.parse(r.transports) as string[] } : null;
  }

  /** Adds a verified credential; false when that credential id is already registered (to anyone). */
  add(c: StoredCredential & { name: string; backedUp: boolean }, now: number): boolean {
    if (this.credential(c.id)) return false;
    this.sql.exec(
      "INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, backed_up, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
      c.id,
      c.userId,
      c.name,
      c.publicKey,
      c.counter,
      JSON.stringify(c.transports),
      c.backedUp ? 1 : 0,
      now,
    );
    return true;
  }

  /**
   * Records a verified sign-in with credential `id` whose counter was `seen` when it was checked and is
   * `next` now. False when the stored counter moved meanwhile (another sign-in with the same counter
   * won): a cloned authenticator, or a replay, is refused.
   */
  used(id: string, seen: number, next: number, now: number): boolean {
    return this.sql.exec("UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND counter = ?", next, now, id, seen).rowsWritten > 0;
  }

  /** Removes `userId`'s passkey `id`; false when they have none by that id. */
  remove(userId: string, id: string): boolean {
    return this.sql.exec("DELETE FROM passkeys WHERE id = ? AND user_id = ?", id, userId).rowsWritten > 0;
  }

  /** Removes every passkey of `userId` (the user was removed). */
  removeAll(userId: string): void {
    this.sql.exec("DELETE FROM passkeys WHERE user_id = ?", userId);
    this.sql.exec("DELETE FROM webauthn_challenges WHERE user_id = ?", userId);
  }
}
