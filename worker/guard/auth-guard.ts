import { DurableObject } from "cloudflare:workers";
import type { KeyRing } from "../auth/keys.js";
import { audit } from "../audit/record.js";
import type { Env } from "../env.js";
import { FIRST_OWNER_ID } from "../team/users.js";
import { AttemptLimits, type AttemptVerdict } from "./attempts.js";
import { CheckLimits } from "./check-limits.js";
import { Meta } from "./meta.js";
import { SessionStore, type SessionRecord } from "./sessions.js";
import { TotpStore, type SecondFactorResult, type TotpStatus } from "./totp-store.js";

export type { AttemptVerdict } from "./attempts.js";
export type { SecondFactorResult, TotpStatus } from "./totp-store.js";
export type { SessionRecord } from "./sessions.js";

/** Sign-in history kept (older rows are dropped). */
const LOGINS_KEPT = 500;

export type LoginOutcome = "success" | "bad_password" | "bad_code" | "bad_passkey" | "sso_refused" | "locked" | "second_factor";

/** Why a sign-in was refused, as the audit trail says it. */
const LOGIN_REFUSALS: Partial<Record<LoginOutcome, string>> = {
  bad_password: "wrong password",
  bad_code: "wrong code",
  bad_passkey: "passkey refused",
  sso_refused: "refused",
  locked: "too many attempts",
};
/** The method a refused sign-in tried (the password unless said here). */
const REFUSED_METHODS: Partial<Record<LoginOutcome, string>> = { bad_code: "second factor", bad_passkey: "passkey", sso_refused: "single sign-on" };

export interface LoginRecord {
  at: number;
  ip: string;
  userAgent: string;
  outcome: LoginOutcome;
  detail: string | null;
  /** The user it was for, when known (the name typed or the account the credential opened). */
  user: string | null;
}

/**
 * The one global guard of the dashboard's sign-in (`getByName("global")`). SQLite-backed and
 * strongly consistent, so every count here is exact:
 * - session revocation: revoked session ids (until they expire) and a generation counter that
 *   "log out everywhere" bumps;
 * - brute-force limits (`AttemptLimits`): per client IP, per known device, and a global ceiling
 *   that slows unknown browsers;
 * - the TOTP second factor (`TotpStore`), its secret sealed under a key the Worker passes in;
 * - the sign-in history.
 * Every check-and-write runs without an `await` between its read and its write.
 */
export class AuthGuard extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly meta: Meta;
  private readonly attempts: AttemptLimits;
  private readonly checks: CheckLimits;
  private readonly totp: TotpStore;
  private readonly sessions: SessionStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.meta = new Meta(this.sql);
    this.attempts = new AttemptLimits(this.sql);
    this.checks = new CheckLimits(this.sql);
    this.totp = new TotpStore(this.sql, this.meta, (fn) => ctx.storage.transactionSync(fn));
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS revoked (jti TEXT PRIMARY KEY, exp INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS logins (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, ip TEXT NOT NULL,
        user_agent TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT
      );
    `);
    // Sign-ins name their user since users came (a guard made before has no such column).
    if (
      !this.sql
        .exec<{ name: string }>("PRAGMA table_info(logins)")
        .toArray()
        .some((c) => c.name === "user")
    ) {
      this.sql.exec("ALTER TABLE logins ADD COLUMN user TEXT");
    }
    this.sessions = new SessionStore(this.sql, (jti, exp) => this.revoke(jti, exp));
  }

  // ---- sessions ----

  /** The generation every new session is stamped with; bumping it ends all older sessions. */
  generation(): number {
    return Number(this.meta.get("generation") ?? "0");
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
    this.meta.set("generation", String(next));
    this.sql.exec("DELETE FROM revoked");
    return next;
  }

  // ---- brute force ----

  /**
   * Counts one sign-in attempt before any secret is checked (see `AttemptLimits.begin`).
   * `device`: the id from a valid device cookie, or null for an unknown browser.
   */
  beginAttempt(ip: string, device: string | null = null, now = Date.now()): AttemptVerdict {
    return this.attempts.begin(ip, device, now);
  }

  /** Counts one relay-token check (`/relay/check`) by `ip` for `host`, or refuses it (see `CheckLimits`). */
  beginRelayCheck(ip: string, host: string, now = Date.now()): AttemptVerdict {
    return this.checks.begin(ip, host, now);
  }

  /** Counted attempts in the window for one IP (for tests and the account page). */
  failureCount(ip: string, now = Date.now()): number {
    return this.attempts.countForIp(ip, now);
  }

  /** A full sign-in (password, and the code when enabled) succeeded: the IP's and device's counts reset. */
  clearFailures(ip: string, device: string | null = null): void {
    this.attempts.clear(ip, device);
  }

  // ---- history ----

  /**
   * Records one sign-in step in the sign-in history, and (all but the half-way "second_factor")
   * in the edge's audit trail, so every way of signing in is audited wherever it is called from.
   */
  async recordLogin(ip: string, userAgent: string, outcome: LoginOutcome, detail: string | null = null, user: string | null = null): Promise<void> {
    this.sql.exec(
      "INSERT INTO logins (at, ip, user_agent, outcome, detail, user) VALUES (?, ?, ?, ?, ?, ?)",
      Date.now(),
      ip.slice(0, 64),
      userAgent.slice(0, 256),
      outcome,
      detail,
      user === null ? null : user.slice(0, 254),
    );
    this.sql.exec("DELETE FROM logins WHERE id <= (SELECT MAX(id) FROM logins) - ?", LOGINS_KEPT);
    if (outcome === "second_factor") return;
    const ok = outcome === "success";
    const method = ok ? (detail ?? "password") : (REFUSED_METHODS[outcome] ?? "password");
    await audit(this.env, {
      kind: "sign-in",
      user,
      ok,
      method,
      detail: ok ? null : [LOGIN_REFUSALS[outcome] ?? outcome, detail].filter(Boolean).join(": "),
      ip,
    });
  }

  /** The newest sign-ins: everyone's, or `user`'s only. */
  listLogins(limit = 20, user: string | null = null): LoginRecord[] {
    const n = Math.min(Math.max(1, limit), 200);
    const rows =
      user === null
        ? this.sql.exec<{ at: number; ip: string; user_agent: string; outcome: string; detail: string | null; user: string | null }>(
            "SELECT at, ip, user_agent, outcome, detail, user FROM logins ORDER BY id DESC LIMIT ?",
            n,
          )
        : this.sql.exec<{ at: number; ip: string; user_agent: string; outcome: string; detail: string | null; user: string | null }>(
            "SELECT at, ip, user_agent, outcome, detail, user FROM logins WHERE user = ? ORDER BY id DESC LIMIT ?",
            user,
            n,
          );
    return rows.toArray().map((r) => ({ at: r.at, ip: r.ip, userAgent: r.user_agent, outcome: r.outcome as LoginOutcome, detail: r.detail, user: r.user }));
  }

  // ---- each user's sessions ----

  /** A session was issued (worker/auth/session.ts issueSession). */
  sessionStarted(s: SessionRecord): void {
    this.sessions.started(s);
  }

  /** `user`'s live sessions, newest first. */
  sessionsOf(user: string): SessionRecord[] {
    return this.sessions.of(user);
  }

  /** `user` ends one of their own sessions; false when `jti` is not theirs or not live. */
  endSessionOf(user: string, jti: string): boolean {
    return this.sessions.end(user, jti);
  }

  /** Ends every session of `user` at once (suspended or removed). */
  endSessionsOf(user: string): number {
    return this.sessions.endAll(user);
  }

  // ---- each user's TOTP second factor (`keys`: the Worker's `totpSecret` key ring) ----

  totpStatus(user: string): TotpStatus {
    return this.totp.status(user);
  }

  /** `user`'s secret being enrolled, the same for ten minutes so a reload shows the same QR code. */
  beginEnrolment(user: string, keys: KeyRing, now = Date.now()): Promise<{ secret: string } | { alreadyEnabled: true }> {
    return this.totp.beginEnrolment(user, keys, now);
  }

  /**
   * Confirms `user`'s enrolment with a code from the app and ends their sessions (the first
   * owner's: everyone's, as their sessions from before users are not listed); returns the recovery
   * codes, shown once.
   */
  confirmEnrolment(
    user: string,
    code: string,
    keys: KeyRing,
    now = Date.now(),
  ): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: string }> {
    // Sessions signed in with the password alone end: the caller re-issues its own.
    return this.totp.confirmEnrolment(user, code, keys, now, () => (user === FIRST_OWNER_ID ? this.revokeAll() : this.sessions.endAll(user)));
  }

  /** `user`'s 6-digit code (each step once) or unused recovery code (then spent); see `TotpStore.verify`. */
  verifySecondFactor(user: string, code: string, keys: KeyRing, now = Date.now()): Promise<SecondFactorResult> {
    return this.totp.verify(user, code, keys, now);
  }

  /** Turns `user`'s second factor off (the route asks for a current code first; removing a user needs none). */
  disableTotp(user: string): void {
    this.totp.disable(user);
  }
}
