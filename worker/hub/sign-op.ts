import { SignJWT, type CryptoKey } from "jose";
import { OP_AUDIENCE, OP_ISSUER, OP_MAX_AGE_SECONDS, OP_TOKEN_TYPE } from "../../protocol/frames.js";
import type { OpName } from "../../protocol/ops.js";

/**
 * One op as the relay receives it: a compact JWS (EdDSA, typ docklight-op+jwt) carrying the op id
 * (jti), host, op, args and the session subject, valid for OP_MAX_AGE_SECONDS. The relay verifies
 * it with the public key it pinned (relay/link/verify.ts).
 */
export function signOp(key: CryptoKey, claims: { id: string; host: string; op: OpName; args: Record<string, unknown>; subject: string }): Promise<string> {
  return new SignJWT({ host: claims.host, op: claims.op, args: claims.args })
    .setProtectedHeader({ alg: "EdDSA", typ: OP_TOKEN_TYPE })
    .setJti(claims.id)
    .setIssuer(OP_ISSUER)
    .setAudience(OP_AUDIENCE)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(`${OP_MAX_AGE_SECONDS}s`)
    .sign(key);
}
