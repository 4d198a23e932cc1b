import { createHash, randomBytes } from "node:crypto";
import { hashPassword } from "../worker/auth/password.js";
import { newOpSigningKey } from "../worker/registry/op-key.js";

/** A relay token: 32 random bytes. The edge keeps only its SHA-256. */
export function newRelayToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, sha256: createHash("sha256").update(token).digest("hex") };
}

/** An Ed25519 op-signing key as the legacy OP_SIGNING_KEY secret held it: the private JWK, and the public `x` for relays. */
export async function newSigningKey(): Promise<{ privateJwk: string; publicX: string }> {
  const jwk = await newOpSigningKey();
  return { privateJwk: JSON.stringify(jwk), publicX: jwk.x };
}

export const newSessionSecret = () => randomBytes(32).toString("base64url");
export const newPassword = () => randomBytes(15).toString("base64url");

/** The edge's own secrets for a local run (`npm start`'s .dev.vars), and the admin password in plain text. */
export interface EdgeSecrets {
  DOCKLIGHT_PASSWORD: string;
  DOCKLIGHT_PASSWORD_HASH: string;
  SESSION_SECRET: string;
  DOCKLIGHT_ENV: string;
}

/** Fresh secrets for a local edge (development mode: no Secure cookies over plain http). */
export async function newEdgeSecrets(password = newPassword()): Promise<EdgeSecrets> {
  return {
    DOCKLIGHT_PASSWORD: password,
    DOCKLIGHT_PASSWORD_HASH: await hashPassword(password),
    SESSION_SECRET: newSessionSecret(),
    DOCKLIGHT_ENV: "development",
  };
}

/**
 * An edge configured the way deployments before the host registry were, with one host: the edge's
 * secrets plus the legacy OP_SIGNING_KEY and RELAY_TOKEN_HASHES (which the registry imports), and
 * the relay's credentials. Tests use it for the legacy path and for stand-in edges.
 */
export interface LocalVars {
  DOCKLIGHT_PASSWORD: string;
  DOCKLIGHT_PASSWORD_HASH: string;
  SESSION_SECRET: string;
  OP_SIGNING_KEY: string;
  RELAY_TOKEN_HASHES: string;
  DOCKLIGHT_ENV: string;
  DOCKLIGHT_HOST_ID: string;
  DOCKLIGHT_RELAY_TOKEN: string;
  DOCKLIGHT_OP_PUBLIC_KEY: string;
}

/** Everything a legacy-configured local edge and one relay need, freshly generated (see `LocalVars`). */
export async function newLocalVars(hostId = "demo", password = newPassword()): Promise<LocalVars> {
  const relay = newRelayToken();
  const key = await newSigningKey();
  return {
    ...(await newEdgeSecrets(password)),
    OP_SIGNING_KEY: key.privateJwk,
    RELAY_TOKEN_HASHES: JSON.stringify({ [hostId]: relay.sha256 }),
    DOCKLIGHT_HOST_ID: hostId,
    DOCKLIGHT_RELAY_TOKEN: relay.token,
    DOCKLIGHT_OP_PUBLIC_KEY: key.publicX,
  };
}

/**
 * dotenv text; values with quotes, braces or `$` are single-quoted (JSON holds no single quotes).
 * `forEnvFile`: for `wrangler --env-file`, which runs dotenv-expand even on quoted values, so `$`
 * must be escaped there (but not in .dev.vars, which wrangler reads without expansion).
 */
export function toDotenv(vars: Record<string, string>, header = "", forEnvFile = false): string {
  const lines = Object.entries(vars).map(([k, raw]) => {
    const v = forEnvFile ? raw.replace(/\$/g, "\\$") : raw;
    return /^[A-Za-z0-9_.:\/+=-]*$/.test(v) ? `${k}=${v}` : `${k}='${v}'`;
  });
  return `${header}${lines.join("\n")}\n`;
}
