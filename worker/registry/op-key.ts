import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey } from "jose";
import { z } from "zod";
import { OP_AUDIENCE, OP_ISSUER, OP_KEY_MAX_AGE_SECONDS, OP_KEY_TOKEN_TYPE } from "../../protocol/frames.js";

/**
 * The op-signing key as a private Ed25519 JWK: what HostRegistry keeps, and what the legacy
 * OP_SIGNING_KEY secret holds. (Runs in Workers and in Node: the scripts make legacy keys with it.)
 */
export const opSigningJwk = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), d: z.string().min(43), x: z.string().length(43) });
export type OpSigningJwk = z.infer<typeof opSigningJwk>;

/** A new Ed25519 op-signing key pair (WebCrypto), as its private JWK; `x` is the public key relays pin. */
export async function newOpSigningKey(): Promise<OpSigningJwk> {
  const { privateKey } = await generateKeyPair("Ed25519", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return opSigningJwk.parse({ kty: jwk.kty, crv: jwk.crv, d: jwk.d, x: jwk.x });
}

/** The private JWK as a signing key. */
export async function importOpSigningKey(jwk: OpSigningJwk): Promise<CryptoKey> {
  return (await importJWK(jwk, "EdDSA")) as CryptoKey;
}

/**
 * The statement a key frame carries: "the op-signing key is now `nextX`", signed by the current
 * key (which connected relays trust), valid OP_KEY_MAX_AGE_SECONDS. The relay checks it in
 * relay/link/verify.ts.
 */
export async function signKeyStatement(current: OpSigningJwk, nextX: string): Promise<string> {
  return new SignJWT({ x: nextX })
    .setProtectedHeader({ alg: "EdDSA", typ: OP_KEY_TOKEN_TYPE })
    .setIssuer(OP_ISSUER)
    .setAudience(OP_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${OP_KEY_MAX_AGE_SECONDS}s`)
    .sign(await importOpSigningKey(current));
}
