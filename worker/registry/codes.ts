import { z } from "zod";
import { b64url } from "../auth/password.js";

/**
 * One-time enrollment codes: what the install command carries instead of the relay token. The
 * installer exchanges a code once, within ENROLL_CODE_TTL_MS, for the host's relay token
 * (`POST /relay/enroll`), which it writes only to the host's 0600 relay.env. The registry keeps
 * them in ./code-store.ts; this file holds what the installer's side and the tests share.
 */

/** How long a code can be exchanged: 1 hour. */
export const ENROLL_CODE_TTL_MS = 60 * 60 * 1000;
/** Refused exchanges allowed per client IP within ENROLL_WINDOW_MS, before every attempt is refused (429). */
export const MAX_ENROLL_FAILURES_PER_IP = 10;
export const ENROLL_WINDOW_MS = 15 * 60 * 1000;

/** A code as the command carries it: 18 random bytes, base64url (24 characters; a token has 43). */
export const enrollCode = z.string().regex(/^[A-Za-z0-9_-]{24}$/, "code must be the enrollment code from the install command (24 characters)");

/** A fresh code. */
export const newEnrollCode = () => b64url.encode(crypto.getRandomValues(new Uint8Array(18)));

/** Why an exchange was refused. `retryAfterSeconds` only for "limited". */
export type Refusal = { reason: "unknown" | "used" | "expired"; at?: number } | { reason: "limited"; retryAfterSeconds: number };

const AGAIN = "make a new install command on the edge's Hosts page (Hosts → New install command) and run it";

/** The message an installer prints for a refusal: each says to make a new command on the Hosts page. */
export function refusalMessage(r: Refusal, host: string): string {
  const when = (at: number | undefined) => (at === undefined ? "" : ` at ${new Date(at).toISOString().replace(/\.\d+Z$/, "Z")}`);
  switch (r.reason) {
    case "used":
      return `this enrollment code was already used${when(r.at)} (a code works once): ${AGAIN}`;
    case "expired":
      return `this enrollment code expired${when(r.at)} (a code lasts 1 hour): ${AGAIN}`;
    case "unknown":
      return `this is not an enrollment code of host ${host} (mistyped, replaced by a newer one, or the host was removed): ${AGAIN}`;
    case "limited":
      return `too many refused enrollment codes from this address: try again in ${r.retryAfterSeconds} s`;
  }
}
