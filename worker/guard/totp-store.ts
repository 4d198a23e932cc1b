import type { KeyRing } from "../auth/keys.js";
import { isSealed, seal, unseal } from "../auth/secret-box.js";
import { sha256Hex } from "../auth/crypto.js";
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode } from "../auth/totp.js";
import { FIRST_OWNER_ID as FIRST_OWNER } from "../team/users.js";
import type { Meta } from "./meta.js";
type TotpKey = "totp_secret" | "totp_pending" | "totp_pending_at" | "totp_last_step";

/**
 * Where `user`'s value `key` lives in the guard's meta table: the plain key for the first owner
 * (so a deployment from before users keeps its second factor), `key:user` for everyone else. The
 * key is also the associated data a secret is sealed with, so one user's sealed secret copied to
 * another's place does not open.
 */
export function totpKey(key: TotpKey, user: string): string {
  return user === FIRST_OWNER ? key : `${key}:${user}`;
}

/** An enrolment secret not confirmed within this long is replaced. */
const ENROLMENT_TTL_MS = 10 * 60 * 1000;
const LEGACY_SECRET = /^[A-Z2-7]+$/;

export interface TotpStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

/**
 * Shown when a 6-digit code cannot be checked because no key opens the secret. Only ever after
 * the right password, and the admin needs to know why their codes fail.
 */
export const UNREADABLE_SECRET =
  "Codes cannot be checked: the session secret changed without SESSION_SECRET_PREVIOUS. Sign in with a recovery code, then turn two-factor sign-in off and on again (or set SESSION_SECRET_PREVIOUS to the old secret).";

/** What a second-factor check found: which kind matched, none, or a secret no key opens. */
export type SecondFactorResult = "totp" | "recovery" | "unreadable" | null;

/**
 * Each user's TOTP second factor inside AuthGuard (keyed by user id, see `totpKey`): the secret (and the one being enrolled) sealed with
 * AES-256-GCM under the edge's `totpSecret` key (derived from SESSION_SECRET), the last step
 * used (no replay) and SHA-256 hashes of the recovery codes. A value sealed under
 * SESSION_SECRET_PREVIOUS, or a plain one from before sealing, is re-sealed under the current key
 * when read.
 */
export class TotpStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: Meta,
    private readonly transaction: (fn: () => void) => void,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS recovery_codes (hash TEXT PRIMARY KEY, used_at INTEGER)");
    // Recovery codes belong to a user since every user may have TOTP (the older rows are the first owner's).
    if (
      !sql
        .exec<{ name: string }>("PRAGMA table_info(recovery_codes)")
        .toArray()
        .some((c) => c.name === "user_id")
    ) {
      sql.exec(`ALTER TABLE recovery_codes ADD COLUMN user_id TEXT NOT NULL DEFAULT '${FIRST_OWNER}'`);
    }
  }

  /**
   * The plain secret kept under `key` (`totp_secret` or `totp_pending`), re-sealed under the
   * current key when it was plain or sealed under the previous one. Null when absent; "unreadable"
   * when no key of the ring opens it.
   */
  private async read(key: string, ring: KeyRing): Promise<string | "unreadable" | null> {
    const stored = this.meta.get(key);
    if (stored === null) return null;
    let plain: string;
    if (isSealed(stored)) {
      const opened = await unseal(stored, ring, key);
      if (!opened) return "unreadable";
      if (!opened.stale) return opened.plain;
      plain = opened.plain;
    } else {
      if (!LEGACY_SECRET.test(stored)) return "unreadable";
      plain = stored;
    }
    const sealed = await seal(plain, ring.current, key);
    // Only if nothing changed it during the awaits.
    if (this.meta.get(key) === stored) this.meta.set(key, sealed);
    return plain;
  }

  status(user: string): TotpStatus {
    const k = (key: TotpKey) => totpKey(key, user);
    const enabled = this.meta.get(k("totp_secret")) !== null;
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL AND user_id = ?", user).one().n;
    return { enabled, recoveryCodesLeft: enabled ? left : 0 };
  }

  /** The secret being enrolled (kept for ENROLMENT_TTL_MS so a reload shows the same QR code). */
  async beginEnrolment(user: string, ring: KeyRing, now: number): Promise<{ secret: string } | { alreadyEnabled: true }> {
    const k = (key: TotpKey) => totpKey(key, user);
    if (this.meta.get(k("totp_secret")) !== null) return { alreadyEnabled: true };
    const at = Number(this.meta.get(k("totp_pending_at")) ?? "0");
    const pending = now - at < ENROLMENT_TTL_MS ? await this.read(k("totp_pending"), ring) : null;
    if (pending !== null && pending !== "unreadable") return { secret: pending };
    const secret = newTotpSecret();
    const sealed = await seal(secret, ring.current, k("totp_pending"));
    this.transaction(() => {
      this.meta.set(k("totp_pending"), sealed);
      this.meta.set(k("totp_pending_at"), String(now));
    });
    return { secret };
  }

  /**
   * Confirms enrolment with a code from the app; returns the recovery codes, shown once.
   * `onEnabled` runs in the same transaction (AuthGuard ends every session there).
   */
  async confirmEnrolment(
    user: string,
    code: string,
    ring: KeyRing,
    now: number,
    onEnabled: () => void,
  ): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: string }> {
    const k = (key: TotpKey) => totpKey(key, user);
    if (this.meta.get(k("totp_secret")) !== null) return { ok: false, reason: "Two-factor sign-in is already on." };
    const expired = now - Number(this.meta.get(k("totp_pending_at")) ?? "0") >= ENROLMENT_TTL_MS;
    const pending = expired ? null : await this.read(k("totp_pending"), ring);
    if (pending === null || pending === "unreadable") return { ok: false, reason: "The enrolment expired; scan the new code and try again." };
    const sealedPending = this.meta.get(k("totp_pending"));
    const step = await matchTotp(pending, code, Math.floor(now / 1000));
    if (step === null) return { ok: false, reason: "That code is not right; check the time on your device." };
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
    const sealed = await seal(pending, ring.current, k("totp_secret"));
    // Re-check after the awaits: another confirm may have won.
    if (this.meta.get(k("totp_pending")) !== sealedPending || this.meta.get(k("totp_secret")) !== null) {
      return { ok: false, reason: "The enrolment changed meanwhile; reload the page." };
    }
    this.transaction(() => {
      this.meta.set(k("totp_secret"), sealed);
      this.meta.set(k("totp_last_step"), String(step));
      this.meta.set(k("totp_pending"), null);
      this.meta.set(k("totp_pending_at"), null);
      this.sql.exec("DELETE FROM recovery_codes WHERE user_id = ?", user);
      for (const h of hashes) this.sql.exec("INSERT INTO recovery_codes (hash, used_at, user_id) VALUES (?, NULL, ?)", h, user);
      onEnabled();
    });
    return { ok: true, recoveryCodes: codes };
  }

  /**
   * Checks a second factor: a 6-digit TOTP code (each step usable once) or an unused recovery
   * code (then spent). The secret is opened (and re-sealed if stale) on every check, whichever
   * kind is presented, so the first sign-in after a rotation re-seals it.
   */
  async verify(user: string, code: string, ring: KeyRing, now: number): Promise<SecondFactorResult> {
    const k = (key: TotpKey) => totpKey(key, user);
    if (this.meta.get(k("totp_secret")) === null) return null;
    const secret = await this.read(k("totp_secret"), ring);
    if (secret === null) return null;
    const trimmed = code.replace(/\s/g, "");
    if (/^\d{6}$/.test(trimmed)) {
      if (secret === "unreadable") return "unreadable";
      const stored = this.meta.get(k("totp_secret"));
      const step = await matchTotp(secret, trimmed, Math.floor(now / 1000));
      if (step === null) return null;
      // Read-check-write with no await in between: a code cannot be used twice.
      const last = Number(this.meta.get(k("totp_last_step")) ?? "-1");
      if (step <= last || this.meta.get(k("totp_secret")) !== stored) return null;
      this.meta.set(k("totp_last_step"), String(step));
      return "totp";
    }
    const hash = await sha256Hex(normaliseRecoveryCode(trimmed));
    const spent = this.sql.exec("UPDATE recovery_codes SET used_at = ? WHERE hash = ? AND user_id = ? AND used_at IS NULL", now, hash, user).rowsWritten;
    return spent > 0 ? "recovery" : null;
  }

  /** Turns the second factor off (the route asks for a current code first). */
  disable(user: string): void {
    const k = (key: TotpKey) => totpKey(key, user);
    this.transaction(() => {
      for (const key of ["totp_secret", "totp_last_step", "totp_pending", "totp_pending_at"] as const) this.meta.set(k(key), null);
      this.sql.exec("DELETE FROM recovery_codes WHERE user_id = ?", user);
    });
  }
}
