import { z } from "zod";

/**
 * Single sign-on's configuration, from the edge's vars and secrets (wrangler.toml `[vars]`,
 * `wrangler secret put`; README, "Deploy the edge"). Each method is on when its variables are set,
 * and all of them must then be right: a half-configured method is a refusal to serve (as any
 * missing secret is), never a sign-in that silently does not work.
 */

const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https$/, error: `${what} must be an https:// URL` }))
    .transform((s) => s.replace(/\/+$/, ""));

/** Generic OpenID Connect (authorization code + PKCE + state + nonce, through oauth4webapi). */
export const oidcConfig = z.object({
  /** The issuer identifier; its discovery document is `${issuer}/.well-known/openid-configuration`. */
  issuer: httpsUrl("OIDC_ISSUER"),
  clientId: z.string({ error: "OIDC_CLIENT_ID is not set (OIDC_ISSUER is)" }).trim().min(1, "OIDC_CLIENT_ID is empty").max(512),
  /** Absent: a public client (PKCE alone authenticates the code exchange). */
  clientSecret: z.string().min(1).max(1024).optional(),
  /** What the sign-in button says: "Sign in with NAME". */
  name: z.string().trim().min(1).max(40).default("single sign-on"),
});
export type OidcConfig = z.infer<typeof oidcConfig>;

/** Cloudflare Access in front of the dashboard: its signed `Cf-Access-Jwt-Assertion`. */
export const accessConfig = z.object({
  /** The team domain, `https://TEAM.cloudflareaccess.com` (issuer of the assertion; its keys at /cdn-cgi/access/certs). */
  teamDomain: httpsUrl("ACCESS_TEAM_DOMAIN"),
  /** The Access application's audience tag (AUD). */
  aud: z
    .string({ error: "ACCESS_AUD is not set (ACCESS_TEAM_DOMAIN is)" })
    .trim()
    .regex(/^[0-9a-f]{64}$|^[A-Za-z0-9._-]{8,128}$/, "ACCESS_AUD is not an Access audience tag"),
});
export type AccessConfig = z.infer<typeof accessConfig>;

export const ssoConfig = z.object({ oidc: oidcConfig.optional(), access: accessConfig.optional() });
export type SsoConfig = z.infer<typeof ssoConfig>;

/** The raw variables: a method whose first variable is unset is off. */
export function ssoInput(
  env: Pick<Cloudflare.Env, "OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME" | "ACCESS_TEAM_DOMAIN" | "ACCESS_AUD">,
): unknown {
  return {
    oidc: env.OIDC_ISSUER
      ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET || undefined, name: env.OIDC_NAME || undefined }
      : undefined,
    access: env.ACCESS_TEAM_DOMAIN ? { teamDomain: env.ACCESS_TEAM_DOMAIN, aud: env.ACCESS_AUD } : undefined,
  };
}
