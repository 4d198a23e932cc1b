import type { Config } from "../env.js";

/**
 * HKDF `info` labels: each purpose gets its own key from SESSION_SECRET, independent of the
 * others and of the session JWT key, so no value made for one purpose is valid for another.
 */
export const KEY_PURPOSES = {
  /** AES-256-GCM key that wraps the TOTP secret at rest in AuthGuard. */
  totpSecret: "docklight totp-secret wrap v1",
  /** HS256 key of the device cookie (a browser that has signed in before). */
  deviceCookie: "docklight device cookie v1",
  /** AES-256-GCM key that seals each deploy hook's secret in its HostHub (HMAC senders need it whole). */
  deployHook: "docklight deploy-hook secret v1",
  /** AES-256-GCM key that seals each alert channel's URL and key in the Team (worker/alerts/channels.ts). */
  alertChannel: "docklight alert-channel secret v1",
  /** HS256 key of the single sign-on flow cookie (state, nonce, PKCE verifier between the two legs). */
  ssoFlow: "docklight sso flow cookie v1",
} as const;
export type KeyPurpose = keyof typeof KEY_PURPOSES;

/**
 * The key for a purpose and, during a session-secret rotation, the one the previous secret
 * gives: values made under `previous` are still read, and re-made under `current`.
 * Raw 32-byte keys, so the pair can cross a Durable Object RPC call.
 */
export interface KeyRing {
  current: Uint8Array;
  previous: Uint8Array | null;
}

const derived = new Map<string, Promise<Uint8Array>>();

/** 32 bytes of HKDF-SHA256 over the secret (empty salt; the secret is random), info = the purpose label. */
export function deriveKey(secret: string, purpose: KeyPurpose): Promise<Uint8Array> {
  const id = `${purpose}\n${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveBits"]);
      const info = new TextEncoder().encode(KEY_PURPOSES[purpose]);
      return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info }, ikm, 256));
    })();
    // Bounded: at most two secrets (current, previous) per purpose in a healthy isolate.
    if (derived.size > 16) derived.clear();
    derived.set(id, key);
  }
  return key;
}

/** The purpose's keys from SESSION_SECRET and, when set, SESSION_SECRET_PREVIOUS. */
export async function keyRing(config: Config, purpose: KeyPurpose): Promise<KeyRing> {
  const [current, previous] = await Promise.all([
    deriveKey(config.sessionSecret, purpose),
    config.sessionSecretPrevious ? deriveKey(config.sessionSecretPrevious, purpose) : null,
  ]);
  return { current, previous };
}
