import { ENROLL_CODE_TTL_MS, ENROLL_WINDOW_MS, MAX_ENROLL_FAILURES_PER_IP, type Refusal } from "./codes.js";

/**
 * A host has at most one code (a new one replaces it); the registry keeps only its SHA-256, looked
 * up by host id (not by hash, so the lookup says nothing of the code) and compared in constant
 * time. Every step from reading the row to consuming it is synchronous, so two exchanges of one
 * code cannot both win.
 */

/** Constant-time equality of two hex SHA-256 digests (Workers' synchronous `timingSafeEqual`). */
function sameHash(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  return x.length === y.length && crypto.subtle.timingSafeEqual(x, y);
}

interface CodeRow extends Record<string, SqlStorageValue> {
  code_hash: string;
  expires_at: number;
  used_at: number | null;
}

/** The registry's codes and the per-IP count of refused exchanges, in its SQLite. `now` is the clock (ms). */
export class EnrollCodes {
  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS enroll_codes (
        host_id TEXT PRIMARY KEY, code_hash TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS enroll_failures (ip TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS enroll_failures_ip_at ON enroll_failures (ip, at);
    `);
  }

  /** Stores `codeHash` as the host's one code (replacing any other), expiring in ENROLL_CODE_TTL_MS; its expiry (ms). */
  issue(host: string, codeHash: string): number {
    const expiresAt = this.now() + ENROLL_CODE_TTL_MS;
    this.sql.exec(
      "INSERT INTO enroll_codes (host_id, code_hash, expires_at, used_at) VALUES (?, ?, ?, NULL) ON CONFLICT(host_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, used_at = NULL",
      host,
      codeHash,
      expiresAt,
    );
    return expiresAt;
  }

  /** Forgets the host's code (the host was removed). */
  forget(host: string): void {
    this.sql.exec("DELETE FROM enroll_codes WHERE host_id = ?", host);
  }

  /**
   * Consumes `codeHash` for `host` if it is the host's code, unused and unexpired: null then, else
   * why not. A client IP past its refusals is refused before anything is compared; each refusal
   * counts against its IP. Synchronous: the check and the consumption are one step.
   */
  redeem(ip: string, host: string | null, codeHash: string): Refusal | null {
    const now = this.now();
    this.sql.exec("DELETE FROM enroll_failures WHERE at <= ?", now - ENROLL_WINDOW_MS);
    const fails = this.sql.exec<{ at: number }>("SELECT at FROM enroll_failures WHERE ip = ? ORDER BY at ASC", ip).toArray();
    if (fails.length >= MAX_ENROLL_FAILURES_PER_IP) {
      const freeAt = fails[fails.length - MAX_ENROLL_FAILURES_PER_IP]!.at + ENROLL_WINDOW_MS;
      return { reason: "limited", retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    }
    const row =
      host === null ? undefined : this.sql.exec<CodeRow>("SELECT code_hash, expires_at, used_at FROM enroll_codes WHERE host_id = ?", host).toArray()[0];
    // Compared also when there is no row, so timing does not tell hosts with a code apart.
    const match = sameHash(codeHash, row?.code_hash ?? "0".repeat(64)) && row !== undefined;
    const refusal: Refusal | null = !match
      ? { reason: "unknown" }
      : row.used_at !== null
        ? { reason: "used", at: row.used_at }
        : row.expires_at <= now
          ? { reason: "expired", at: row.expires_at }
          : null;
    if (refusal) this.sql.exec("INSERT INTO enroll_failures (ip, at) VALUES (?, ?)", ip, now);
    else this.sql.exec("UPDATE enroll_codes SET used_at = ? WHERE host_id = ?", now, host);
    return refusal;
  }

  /** The host's code's expiry and use (ms), or null when it has none: for the Hosts page. */
  state(host: string): { expiresAt: number; usedAt: number | null } | null {
    const row = this.sql.exec<CodeRow>("SELECT code_hash, expires_at, used_at FROM enroll_codes WHERE host_id = ?", host).toArray()[0];
    return row ? { expiresAt: row.expires_at, usedAt: row.used_at } : null;
  }
}
