import { b64url } from "./crypto.js";
import type { KeyRing } from "./keys.js";

/** Sealed values are `aesgcm1.<12-byte IV>.<ciphertext and 16-byte tag>`, both base64url. */
const PREFIX = "aesgcm1.";

function aesKey(raw: Uint8Array, use: "encrypt" | "decrypt"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, [use]);
}

/** Whether a stored value is sealed (else it is a legacy plain value). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * AES-256-GCM with a random IV; `label` is the associated data (where the value is kept), so a
 * sealed value moved to another place does not open.
 */
export async function seal(plain: string, key: Uint8Array, label: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(label) },
    await aesKey(key, "encrypt"),
    new TextEncoder().encode(plain),
  );
  return `${PREFIX}${b64url.encode(iv)}.${b64url.encode(new Uint8Array(data))}`;
}

/**
 * Opens a sealed value with the ring's current key, else its previous one. `stale` says it was
 * sealed under the previous key (the caller re-seals it). Null when no key opens it (or it is
 * malformed): never a throw.
 */
export async function unseal(stored: string, ring: KeyRing, label: string): Promise<{ plain: string; stale: boolean } | null> {
  if (!isSealed(stored)) return null;
  const [iv, data] = stored.slice(PREFIX.length).split(".");
  if (!iv || !data) return null;
  for (const [key, stale] of [
    [ring.current, false],
    [ring.previous, true],
  ] as const) {
    if (!key) continue;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: b64url.decode(iv) as BufferSource, additionalData: new TextEncoder().encode(label) },
        await aesKey(key, "decrypt"),
        b64url.decode(data) as BufferSource,
      );
      return { plain: new TextDecoder().decode(plain), stale };
    } catch {
      // the wrong key, or tampered: try the next
    }
  }
  return null;
}
