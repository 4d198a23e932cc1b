import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, sha256Hex } from "../auth/totp.js";

/** Failed sign-ins allowed per client IP within the window. */
export const MAX_FAILURES_PER_IP = 5;
/** Failed sign-ins allowed from everyone together within the window. */
export const MAX_FAILURES_GLOBAL = 100;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** An enrolment secret not confirmed within this long is replaced. */
const ENROLMENT_TTL_MS = 10 * 60 * 1000;
/** Sign-in history kept (older rows are dropped). */
const LOGINS_KEPT = 500;

export type AttemptVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export type LoginOutcome = "success" | "bad_password" | "bad_code" | "locked" | "second_factor";

export interface LoginRecord {
  at: number;
  ip: string;
  userAgent: string;
  outcome: LoginOutcome;
  detail: string | null;
}

export interface TotpStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

/**
 * The one global guard of the dashboard's sign-in (`getByName("global")`). SQLite-backed and
 * strongly consistent, so every count here is exact:
 * - session revocation: revoked session ids (until they expire) and a generation counter that
 *   "log out everywhere" bumps;
 * - brute-force limits: failed sign-ins per client IP and in total, in a sliding window;
 * - the TOTP second factor: secret, last step used (no replay), hashes of recovery codes;
 * - the sign-in history.
 * Every check-and-write runs without an `await` between its read and its write.
 */
export class AuthGuard extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, exp INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY AUTOINCREMENT, ip TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS failures_ip_at ON failures (ip, at);
      CREATE INDEX IF NOT EXISTS failures_at ON failures (at);
      CREATE TABLE IF NOT EXISTS recovery_codes (hash TEXT PRIMARY KEY, used_at INTEGER);
      CREATE TABLE IF NOT EXISTS logins (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, ip TEXT NOT NULL,
        user_agent TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT
      );
    `);
  }

  private getMeta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    else this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  // ---- sessions ----

  /** The generation every new session is stamped with; bumping it ends all older sessions. */
  generation(): number {
    return Number(this.getMeta("generation") ?? "0");
  }

  /** A session is live if it carries the current generation and was not revoked. */
  sessionValid(jti: string, generation: number): boolean {
    if (generation !== this.generation()) return false;
    return this.sql.exec("SELECT 1 FROM revoked WHERE jti = ?", jti).toArray().length === 0;
  }

  /** Ends one session; the row is kept until the token would have expired anyway. */
  revoke(jti: string, expSeconds: number): void {
    this.sql.exec("DELETE FROM revoked WHERE exp < ?", Math.floor(Date.now() / 1000));
    this.sql.exec("INSERT OR IGNORE INTO revoked (jti, exp) VALUES (?, ?)", jti, expSeconds);
  }

  /** Ends every session issued so far; returns the new generation. */
  revokeAll(): number {
    const next = this.generation() + 1;
    this.setMeta("generation", String(next));
    this.sql.exec("DELETE FROM revoked");
    return next;
  }

  // ---- brute force ----

  /**
   * Counts one sign-in attempt before the password is checked, so concurrent guesses cannot
   * slip past the limit. Refused once the IP has MAX_FAILURES_PER_IP or everyone together
   * MAX_FAILURES_GLOBAL counted attempts in the window. A success clears the IP's count.
   */
  beginAttempt(ip: string, now = Date.now()): AttemptVerdict {
    const since = now - FAILURE_WINDOW_MS;
    this.sql.exec("DELETE FROM failures WHERE at <= ?", since);
    const mine = this.sql.exec<{ at: number }>("SELECT at FROM failures WHERE ip = ? ORDER BY at ASC", ip).toArray();
    const total = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM failures").one().n;
    let freeAt = 0;
    if (mine.length >= MAX_FAILURES_PER_IP) freeAt = Math.max(freeAt, mine[mine.length - MAX_FAILURES_PER_IP]!.at + FAILURE_WINDOW_MS);
    if (total >= MAX_FAILURES_GLOBAL) {
      const row = this.sql
        .exec<{ at: number }>("SELECT at FROM failures ORDER BY at ASC LIMIT 1 OFFSET ?", total - MAX_FAILURES_GLOBAL)
        .toArray()[0];
      freeAt = Math.max(freeAt, (row?.at ?? now) + FAILURE_WINDOW_MS);
    }
    if (freeAt > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    this.sql.exec("INSERT INTO failures (ip, at) VALUES (?, ?)", ip, now);
    return { ok: true };
  }

  /** Counted attempts in the window for one IP (for tests and the account page). */
  failureCount(ip: string, now = Date.now()): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM failures WHERE ip = ? AND at > ?", ip, now - FAILURE_WINDOW_MS).one().n;
  }

  /** A full sign-in (password, and the code when enabled) succeeded: the IP's count is reset. */
  clearFailures(ip: string): void {
    this.sql.exec("DELETE FROM failures WHERE ip = ?", ip);
  }

  // ---- history ----

  recordLogin(ip: string, userAgent: string, outcome: LoginOutcome, detail: string | null = null): void {
    this.sql.exec(
      "INSERT INTO logins (at, ip, user_agent, outcome, detail) VALUES (?, ?, ?, ?, ?)",
      Date.now(),
      ip.slice(0, 64),
      userAgent.slice(0, 256),
      outcome,
      detail,
    );
    this.sql.exec("DELETE FROM logins WHERE id <= (SELECT MAX(id) FROM logins) - ?", LOGINS_KEPT);
  }

  listLogins(limit = 20): LoginRecord[] {
    return this.sql
      .exec<{ at: number; ip: string; user_agent: string; outcome: string; detail: string | null }>(
        "SELECT at, ip, user_agent, outcome, detail FROM logins ORDER BY id DESC LIMIT ?",
        Math.min(Math.max(1, limit), 200),
      )
      .toArray()
      .map((r) => ({ at: r.at, ip: r.ip, userAgent: r.user_agent, outcome: r.outcome as LoginOutcome, detail: r.detail }));
  }

  // ---- TOTP second factor ----

  totpStatus(): TotpStatus {
    const enabled = this.getMeta("totp_secret") !== null;
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL").one().n;
    return { enabled, recoveryCodesLeft: enabled ? left : 0 };
  }

  /** The secret being enrolled (kept for ENROLMENT_TTL_MS so a reload shows the same QR code). */
  beginEnrolment(now = Date.now()): { secret: string } | { alreadyEnabled: true } {
    if (this.getMeta("totp_secret") !== null) return { alreadyEnabled: true };
    const pending = this.getMeta("totp_pending");
    const at = Number(this.getMeta("totp_pending_at") ?? "0");
    if (pending && now - at < ENROLMENT_TTL_MS) return { secret: pending };
    const secret = newTotpSecret();
    this.setMeta("totp_pending", secret);
    this.setMeta("totp_pending_at", String(now));
    return { secret };
  }

  /** Confirms enrolment with a code from the app; returns the recovery codes, shown once. */
  async confirmEnrolment(code: string, now = Date.now()): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: string }> {
    const pending = this.getMeta("totp_pending");
    if (this.getMeta("totp_secret") !== null) return { ok: false, reason: "Two-factor sign-in is already on." };
    if (!pending || now - Number(this.getMeta("totp_pending_at") ?? "0") >= ENROLMENT_TTL_MS) {
      return { ok: false, reason: "The enrolment expired; scan the new code and try again." };
    }
    const step = await matchTotp(pending, code, Math.floor(now / 1000));
    if (step === null) return { ok: false, reason: "That code is not right; check the time on your device." };
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
    // Re-check after the awaits: another confirm may have won.
    if (this.getMeta("totp_pending") !== pending || this.getMeta("totp_secret") !== null) {
      return { ok: false, reason: "The enrolment changed meanwhile; reload the page." };
    }
    this.ctx.storage.transactionSync(() => {
      this.setMeta("totp_secret", pending);
      this.setMeta("totp_last_step", String(step));
      this.setMeta("totp_pending", null);
      this.setMeta("totp_pending_at", null);
      this.sql.exec("DELETE FROM recovery_codes");
      for (const h of hashes) this.sql.exec("INSERT INTO recovery_codes (hash, used_at) VALUES (?, NULL)", h);
      // Sessions signed in with the password alone end: the caller re-issues its own.
      this.revokeAll();
    });
    return { ok: true, recoveryCodes: codes };
  }

  /**
   * Checks a second factor: a 6-digit TOTP code (each step usable once) or an unused recovery
   * code (then spent). Returns which kind matched, or null.
   */
  async verifySecondFactor(code: string, now = Date.now()): Promise<"totp" | "recovery" | null> {
    const secret = this.getMeta("totp_secret");
    if (!secret) return null;
    const trimmed = code.replace(/\s/g, "");
    if (/^\d{6}$/.test(trimmed)) {
      const step = await matchTotp(secret, trimmed, Math.floor(now / 1000));
      if (step === null) return null;
      // Read-check-write with no await in between: a code cannot be used twice.
      const last = Number(this.getMeta("totp_last_step") ?? "-1");
      if (step <= last || this.getMeta("totp_secret") !== secret) return null;
      this.setMeta("totp_last_step", String(step));
      return "totp";
    }
    const hash = await sha256Hex(normaliseRecoveryCode(trimmed));
    const spent = this.sql.exec("UPDATE recovery_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL", now, hash).rowsWritten;
    return spent > 0 ? "recovery" : null;
  }

  /** Turns the second factor off (the route asks for a current code first). */
  disableTotp(): void {
    this.ctx.storage.transactionSync(() => {
      for (const k of ["totp_secret", "totp_last_step", "totp_pending", "totp_pending_at"]) this.setMeta(k, null);
      this.sql.exec("DELETE FROM recovery_codes");
    });
  }
}
