import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from "@oslojs/otp";

/**
 * TOTP (RFC 6238) through @oslojs/otp and @oslojs/encoding: HMAC-SHA1, 30 s steps, 6 digits, ±1
 * step of clock skew. What is ours is the window and the replay rule: matchTotp says WHICH step a
 * code matched, so the caller can refuse a step at or before the last one used.
 */

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now. */
export const TOTP_WINDOW = 1;

/** RFC 4648 base32 without padding (what authenticator apps expect in otpauth:// URIs). */
export const base32Encode = (bytes: Uint8Array): string => encodeBase32UpperCaseNoPadding(bytes);

/** base32 as people type it: spaces, dashes and padding ignored, any case; throws on other characters. */
export function base32Decode(text: string): Uint8Array {
  return decodeBase32IgnorePadding(text.replace(/[\s-]/g, "").toUpperCase());
}

/** A fresh 160-bit secret, base32. */
export function newTotpSecret(): string {
  return base32Encode(crypto.getRandomValues(new Uint8Array(20)));
}

/** HOTP (RFC 4226) value for one counter, truncated to `digits` (@oslojs/otp). */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  return generateHOTP(secret, BigInt(counter), digits);
}

export const totpStep = (unixSeconds: number) => Math.floor(unixSeconds / TOTP_STEP_SECONDS);

/** The TOTP code for a time (seconds since the epoch). */
export function totp(secret: Uint8Array, unixSeconds: number, digits = TOTP_DIGITS): string {
  return hotp(secret, totpStep(unixSeconds), digits);
}

/**
 * The step a 6-digit code matches within ±TOTP_WINDOW of now, or null. Every candidate is
 * computed and compared so timing does not tell which step matched. The caller refuses a step at
 * or before the last one used (no replay).
 */
export async function matchTotp(secretBase32: string, code: string, unixSeconds: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretBase32);
  const now = totpStep(unixSeconds);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    if (verifyHOTP(secret, BigInt(step), TOTP_DIGITS, code) && matched === null) matched = step;
  }
  return matched;
}

/** The URI an authenticator app reads from the QR code (@oslojs/otp's key URI). */
export function otpauthUri(secretBase32: string, account: string, issuer = "Docklight"): string {
  return createTOTPKeyURI(issuer, account, base32Decode(secretBase32), TOTP_STEP_SECONDS, TOTP_DIGITS);
}

/** Ten one-time recovery codes, `xxxxx-xxxxx` base32 (50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const s = base32Encode(crypto.getRandomValues(new Uint8Array(7)))
      .slice(0, 10)
      .toLowerCase();
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

/** Recovery codes are compared by SHA-256 of their normalised form; only hashes are stored. */
export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}

/** Moved to ./crypto.js (its one home); kept here for the imports that still name this module. */
export { sha256Hex } from "./crypto.js";
