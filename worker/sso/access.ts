import { createRemoteJWKSet, jwtVerify } from "jose";
import type { AccessConfig } from "./config.js";
import { verifiedEmail, type SsoAnswer } from "./email.js";

/** The header Cloudflare Access adds to each request it let through. */
export const ACCESS_HEADER = "cf-access-jwt-assertion";

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Who Cloudflare Access says is signed in: the `Cf-Access-Jwt-Assertion` JWT verified with jose
 * against the team's keys (`${teamDomain}/cdn-cgi/access/certs`, RS256), its issuer the team domain
 * and its audience the application's AUD tag (Cloudflare's "Validate JWTs" guide), and its `email`.
 * Access only lets through e-mails its identity provider verified. A request without the header
 * did not come through Access.
 */
export async function accessEmail(cfg: AccessConfig, assertion: string | undefined): Promise<SsoAnswer> {
  if (!assertion) return { refused: "this request did not come through Cloudflare Access (no Cf-Access-Jwt-Assertion)" };
  let keys = keySets.get(cfg.teamDomain);
  if (!keys) keySets.set(cfg.teamDomain, (keys = createRemoteJWKSet(new URL(`${cfg.teamDomain}/cdn-cgi/access/certs`))));
  try {
    const { payload } = await jwtVerify(assertion, keys, { issuer: cfg.teamDomain, audience: cfg.aud, algorithms: ["RS256"] });
    return verifiedEmail(payload.email, true, "Cloudflare Access");
  } catch {
    return { refused: "the Cloudflare Access assertion does not verify (its signature, issuer, audience or time)" };
  }
}
