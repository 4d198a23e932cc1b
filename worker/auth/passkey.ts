import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import type { StoredCredential } from "../team/passkey-store.js";
import { b64url } from "./crypto.js";

/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: the options a browser's ceremony starts
 * from and the verification of what it answers. The relying party is the dashboard itself: its
 * id is the request's host name and the only origin accepted is the request's own. User
 * verification is required, so a passkey alone signs in (something held and a PIN or a
 * biometric), and passkeys are discoverable (resident): sign-in names no account first.
 */

/** The relying party of a request: `rpID` its host name, `origin` its scheme, host and port. */
export interface RelyingParty {
  rpID: string;
  origin: string;
}

/** The relying party for a request to `url` (the dashboard's own URL, as the browser sees it). */
export function relyingParty(url: string): RelyingParty {
  const u = new URL(url);
  return { rpID: u.hostname, origin: u.origin };
}

/** How long a browser's ceremony may take (ms), told to the browser; the challenge lives a little longer. */
const CEREMONY_TIMEOUT_MS = 120_000;

const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
const b64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, "not base64url");

/** What the browser sends back from `navigator.credentials.create` (@simplewebauthn/browser's JSON), bounded. */
export const registrationResponse = z.object({
  id: b64(1400),
  rawId: b64(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64(4096),
    attestationObject: b64(16384),
    transports: z.array(z.enum(TRANSPORTS)).max(8).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.object({}).catchall(z.unknown()).default({}),
});

/** What the browser sends back from `navigator.credentials.get`, bounded. */
export const authenticationResponse = z.object({
  id: b64(1400),
  rawId: b64(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: b64(4096),
    authenticatorData: b64(4096),
    signature: b64(1024),
    userHandle: b64(128).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.object({}).catchall(z.unknown()).default({}),
});

/** The user handle a user's passkeys carry: their id's UTF-8 bytes (an id, never an e-mail). */
export const userHandle = (userId: string) => b64url.encode(new TextEncoder().encode(userId));

/** Options for adding a passkey to `user`'s account; the caller keeps `challenge` for one answer. */
export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; name: string },
  existing: Array<{ id: string; transports: string[] }>,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: "Docklight",
    rpID: rp.rpID,
    userName: user.name,
    userID: Uint8Array.from(new TextEncoder().encode(user.id)),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

/** Options for signing in with any passkey of this dashboard (no account named); the caller keeps `challenge`. */
export function signInOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({ rpID: rp.rpID, timeout: CEREMONY_TIMEOUT_MS, userVerification: "required" });
}

/** Why a ceremony's answer was refused, in words for the page (never the library's internals). */
export type PasskeyRefusal = { refused: string };

/**
 * Verifies a new passkey's attestation for `userId`. `takeChallenge` spends the challenge the
 * answer signed (true once, if it was made for this user and has not expired). Returns the
 * credential to store, or why not.
 */
export async function verifyRegistration(
  rp: RelyingParty,
  userId: string,
  response: z.output<typeof registrationResponse>,
  takeChallenge: (challenge: string) => Promise<boolean>,
): Promise<(StoredCredential & { backedUp: boolean }) | PasskeyRefusal> {
  try {
    const v = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      ...expected(rp, takeChallenge),
    });
    if (!v.verified) return { refused: "The passkey could not be verified." };
    const c = v.registrationInfo.credential;
    return {
      id: c.id,
      userId,
      publicKey: b64url.encode(c.publicKey),
      counter: c.counter,
      transports: c.transports ?? response.response.transports ?? [],
      backedUp: v.registrationInfo.credentialBackedUp,
    };
  } catch (err) {
    return { refused: refusalOf(err) };
  }
}

/**
 * Verifies a sign-in assertion against the stored `credential`: the challenge (spent by
 * `takeChallenge`), origin, rpID, user verification, the signature, that the user handle is the
 * credential's user, and that the counter moved forward (unless the authenticator keeps none).
 * Returns the new counter, or why not.
 */
export async function verifySignIn(
  rp: RelyingParty,
  credential: StoredCredential,
  response: z.output<typeof authenticationResponse>,
  takeChallenge: (challenge: string) => Promise<boolean>,
): Promise<{ newCounter: number } | PasskeyRefusal> {
  if (response.response.userHandle !== undefined && response.response.userHandle !== userHandle(credential.userId)) {
    return { refused: "That passkey is not registered here." };
  }
  try {
    const v = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      ...expected(rp, takeChallenge),
      credential: {
        id: credential.id,
        publicKey: Uint8Array.from(b64url.decode(credential.publicKey)),
        counter: credential.counter,
        transports: credential.transports as AuthenticatorTransportFuture[],
      },
    });
    if (!v.verified) return { refused: "The passkey could not be verified." };
    return { newCounter: v.authenticationInfo.newCounter };
  } catch (err) {
    return { refused: refusalOf(err) };
  }
}

/** What both ceremonies hold an answer to: the challenge spent once, this site's origin and RP ID, and the user verified (PIN or biometric). */
function expected(rp: RelyingParty, takeChallenge: (challenge: string) => Promise<boolean>) {
  return { expectedChallenge: takeChallenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: true };
}

/** The library throws plain Errors whose messages name what failed; the page gets a short, fixed sentence. */
function refusalOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : "";
  if (/challenge/i.test(msg)) return "This passkey request expired or was already used. Try again.";
  if (/counter/i.test(msg)) return "This passkey's signature counter went backwards: it may have been copied. Remove it and add it again.";
  if (/origin|rp ?id/i.test(msg)) return "This passkey answered for another site.";
  if (/verif/i.test(msg)) return "This passkey did not verify the user (PIN or biometric).";
  return "The passkey could not be verified.";
}
