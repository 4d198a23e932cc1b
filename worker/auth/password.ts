import { b64url } from "./crypto.js";

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, salt and hash base64url. Runs in Workers and in Node. */
export const PASSWORD_HASH_PATTERN = /^pbkdf2-sha256\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Production Workers refuse PBKDF2 above 100,000 iterations (local workerd does not enforce it). */
export const MAX_PBKDF2_ITERATIONS = 100_000;
/** Below this a stored hash is refused as too weak. */
export const MIN_PBKDF2_ITERATIONS = 50_000;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new Error("PBKDF2 iterations must be a positive integer");
  if (iterations > MAX_PBKDF2_ITERATIONS) throw new Error(`PBKDF2 iterations above ${MAX_PBKDF2_ITERATIONS} are rejected by Workers`);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, salt and hash base64url. */
export async function hashPassword(password: string, iterations = MAX_PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${b64url.encode(salt)}$${b64url.encode(hash)}`;
}

/**
 * Constant-time check of a password against a stored hash. A stored hash above the Workers cap
 * throws (as production would) rather than silently passing in a local runtime.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PASSWORD_HASH_PATTERN.exec(stored);
  if (!m) return false;
  const expected = b64url.decode(m[3]!);
  const actual = await derive(password, b64url.decode(m[2]!), Number(m[1]));
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}

/** Moved to ./crypto.js (its one home); kept here for the imports that still name this module. */
export { b64url };
