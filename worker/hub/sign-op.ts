import { SignJWT, type CryptoKey } from "jose";
import { OP_AUDIENCE, OP_ISSUER, OP_MAX_AGE_SECONDS, OP_TOKEN_TYPE } from "../../protocol/frames.js";
import type { OpName } from "../../protocol/ops.js";
import type { Principal } from "../../protocol/principal.js";

/**
 * One op as the relay receives it: a compact JWS (EdDSA, typ docklight-op+jwt) carrying the op id
 * (jti), host, op, args, the user who asked (sub) with their role and grants on this host (so the
 * relay can run the policy again), valid for OP_MAX_AGE_SECONDS. The relay verifies it with the
 * public key it pinned (relay/link/verify.ts). Only the HostHub calls it, after `decide` allowed it.
 */
export function signOp(key: CryptoKey, claims: { id: string; host: string; op: OpName; args: Record<string, unknown>; principal: Principal }): Promise<string> {
  const { user, role, grants } = claims.principal;
  return new SignJWT({
    host: claims.host,
    op: claims.op,
    args: claims.args,
    role,
    grants: { host: grants.host, hostRoot: grants.hostRoot, reveal: grants.reveal, apps: [...grants.apps] },
  })
    .setProtectedHeader({ alg: "EdDSA", typ: OP_TOKEN_TYPE })
    .setJti(claims.id)
    .setIssuer(OP_ISSUER)
    .setAudience(OP_AUDIENCE)
    .setSubject(user)
    .setIssuedAt()
    .setExpirationTime(`${OP_MAX_AGE_SECONDS}s`)
    .sign(key);
}
