import type { KeyRing } from "../auth/keys.js";
import { isSealed, seal, unseal } from "../auth/secret-box.js";
import { sha256Hex } from "../auth/crypto.js";
import { matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode } from "../auth/totp.js";
import type { Meta } from "./meta.js";

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
 * The TOTP second factor inside AuthGuard: the secret (and the one being enrolled) sealed with
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
  }

  /**
   * The plain secret kept under `key` (`totp_secret` or `totp_pending`), re-sealed under the
   * current key when it was plain or sealed under the previous one. Null when absent; "unreadable"
   * when no key of the ring opens it.
   */
  private async read(key: "totp_secret" | "totp_pending", ring: KeyRing): Promise<string | "unreadable" | null> {
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

  status(): TotpStatus {
    const enabled = this.meta.get("totp_secret") !== null;
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM recovery_codes WHERE used_at IS NULL").one().n;
    return { enabled, recoveryCodesLeft: enabled ? left : 0 };
  }

  /** The secret being enrolled (kept for ENROLMENT_TTL_MS so a reload shows the same QR code). */
  async beginEnrolment(ring: KeyRing, now: number): Promise<{ secret: string } | { alreadyEnabled: true }> {
    if (this.meta.get("totp_secret") !== null) return { alreadyEnabled: true };
    const at = Number(this.meta.get("totp_pending_at") ?? "0");
    const pending = now - at < ENROLMENT_TTL_MS ? await this.read("totp_pending", ring) : null;
    if (pending !== null && pending !== "unreadable") return { secret: pending };
    const secret = newTotpSecret();
    const sealed = await seal(secret, ring.current, "totp_pending");
    this.transaction(() => {
      this.meta.set("totp_pending", sealed);
      this.meta.set("totp_pending_at", String(now));
    });
    return { secret };
  }

  /**
   * Confirms enrolment with a code from the app; returns the recovery codes, shown once.
   * `onEnabled` runs in the same transaction (AuthGuard ends every session there).
   */
  async confirmEnrolment(
    code: string,
    ring: KeyRing,
    now: number,
    onEnabled: () => void,
  ): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: string }> {
    if (this.meta.get("totp_secret") !== null) return { ok: false, reason: "Two-factor sign-in is already on." };
    const expired = now - Number(this.meta.get("totp_pending_at") ?? "0") >= ENROLMENT_TTL_MS;
    const pending = expired ? null : await this.read("totp_pending", ring);
    if (pending === null || pending === "unreadable") return { ok: false, reason: "The enrolment expired; scan the new code and try again." };
    const sealedPending = this.meta.get("totp_pending");
    const step = await matchTotp(pending, code, Math.floor(now / 1000));
    if (step === null) return { ok: false, reason: "That code is not right; check the time on your device." };
    const codes = newRecoveryCodes();
    const hashes = await Promise.all(codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
    const sealed = await seal(pending, ring.current, "totp_secret");
    // Re-check after the awaits: another confirm may have won.
    if (this.meta.get("totp_pending") !== sealedPending || this.meta.get("totp_secret") !== null) {
      return { ok: false, reason: "The enrolment changed meanwhile; reload the page." };
    }
    this.transaction(() => {
      this.meta.set("totp_secret", sealed);
      this.meta.set("totp_last_step", String(step));
      this.meta.set("totp_pending", null);
      this.meta.set("totp_pending_at", null);
      this.sql.exec("DELETE FROM recovery_codes");
      for (const h of hashes) this.sql.exec("INSERT INTO recovery_codes (hash, used_at) VALUES (?, NULL)", h);
      onEnabled();
    });
    return { ok: true, recoveryCodes: codes };
  }

  /**
   * Checks a second factor: a 6-digit TOTP code (each step usable once) or an unused recovery
   * code (then spent). The secret is opened (and re-sealed if stale) on every check, whichever
   * kind is presented, so the first sign-in after a rotation re-seals it.
   */
  async verify(code: string, ring: KeyRing, now: number): Promise<SecondFactorResult> {
    if (this.meta.get("totp_secret") === null) return null;
    const secret = await this.read("totp_secret", ring);
    if (secret === null) return null;
    const trimmed = code.replace(/\s/g, "");
    if (/^\d{6}$/.test(trimmed)) {
      if (secret === "unreadable") return "unreadable";
      const stored = this.meta.get("totp_secret");
      const step = await matchTotp(secret, trimmed, Math.floor(now / 1000));
      if (step === null) return null;
      // Read-check-write with no await in between: a code cannot be used twice.
      const last = Number(this.meta.get("totp_last_step") ?? "-1");
      if (step <= last || this.meta.get("totp_secret") !== stored) return null;
      this.meta.set("totp_last_step", String(step));
      return "totp";
    }
    const hash = await sha256Hex(normaliseRecoveryCode(trimmed));
    const spent = this.sql.exec("UPDATE recovery_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL", now, hash).rowsWritten;
    return spent > 0 ? "recovery" : null;
  }

  /** Turns the second factor off (the route asks for a current code first). */
  disable(): void {
    this.transaction(() => {
      for (const k of ["totp_secret", "totp_last_step", "totp_pending", "totp_pending_at"]) this.meta.set(k, null);
      this.sql.exec("DELETE FROM recovery_codes");
    });
  }
}
