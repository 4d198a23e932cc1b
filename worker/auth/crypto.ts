import { base64url } from "jose";

/** The edge's small crypto helpers, in one home (WebCrypto; runs in Workers and in Node). */

/** base64url without padding (RFC 4648 §5), jose's codec: `encode(bytes)`, `decode(text)` (throws on bad input). */
export const b64url = {
  encode: (bytes: Uint8Array): string => base64url.encode(bytes),
  decode: (text: string): Uint8Array => base64url.decode(text),
};

/** SHA-256 of a text's UTF-8 bytes, as 64 lowercase hex digits. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
