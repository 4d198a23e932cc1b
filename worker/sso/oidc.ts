import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { OidcConfig } from "./config.js";
import { verifiedEmail, type SsoAnswer } from "./email.js";

/** Where the provider sends the browser back (registered with the provider as the redirect URI). */
export const OIDC_CALLBACK_PATH = "/login/sso/oidc/callback";

/** What the first leg keeps for the second (in the signed flow cookie, worker/sso/flow.ts). */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
}

/** Discovery documents, per issuer, for ten minutes (an isolate's cache: a provider's keys and endpoints rarely move). */
const discovered = new Map<string, { at: number; as: Promise<oauth.AuthorizationServer> }>();
const DISCOVERY_TTL_MS = 10 * 60_000;

/** The provider's metadata from `${issuer}/.well-known/openid-configuration`, its `issuer` checked against ours. */
function server(cfg: OidcConfig): Promise<oauth.AuthorizationServer> {
  const hit = discovered.get(cfg.issuer);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.as;
  const issuer = new URL(cfg.issuer);
  const as = oauth.discoveryRequest(issuer, { algorithm: "oidc" }).then((res) => oauth.processDiscoveryResponse(issuer, res));
  as.catch(() => discovered.delete(cfg.issuer));
  discovered.set(cfg.issuer, { at: Date.now(), as });
  return as;
}

/** The provider's signing keys (jose caches them and refetches on an unknown `kid`). */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keysOf(jwksUri: string) {
  let set = keySets.get(jwksUri);
  if (!set) keySets.set(jwksUri, (set = createRemoteJWKSet(new URL(jwksUri))));
  return set;
}

/**
 * The first leg: a fresh state, nonce and PKCE verifier (S256), and the provider's authorization URL
 * asking for `openid email` with them, to come back to `redirectUri`.
 */
export async function oidcStart(cfg: OidcConfig, redirectUri: string): Promise<{ url: string; flow: OidcFlow }> {
  const as = await server(cfg);
  if (!as.authorization_endpoint) throw new Error("the provider's discovery document names no authorization_endpoint");
  const flow: OidcFlow = { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), verifier: oauth.generateRandomCodeVerifier() };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("client_id", cfg.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid email");
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(flow.verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", flow.state);
  url.searchParams.set("nonce", flow.nonce);
  return { url: url.href, flow };
}

/**
 * The second leg, at `callback` (the URL the provider sent the browser to): the state must be this
 * flow's, the code is exchanged with the PKCE verifier (and the client secret, when there is one),
 * the ID token's issuer, audience, nonce and times are checked by oauth4webapi and its signature
 * by jose against the provider's keys, and its e-mail must be verified. Any failure is a refusal
 * that says why; nothing from the provider is trusted before these checks.
 */
export async function oidcFinish(cfg: OidcConfig, flow: OidcFlow, callback: URL, redirectUri: string): Promise<SsoAnswer> {
  const as = await server(cfg);
  const client: oauth.Client = { client_id: cfg.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, flow.state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError)
      return { refused: `the provider refused: ${e.error}${e.error_description ? ` (${e.error_description.slice(0, 200)})` : ""}` };
    return { refused: "the provider's answer does not belong to this sign-in (its state differs): start again" };
  }
  const auth = cfg.clientSecret ? oauth.ClientSecretBasic(cfg.clientSecret) : oauth.None();
  const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, flow.verifier);
  let idToken: string;
  try {
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: flow.nonce, requireIdToken: true });
    idToken = tokens.id_token!;
  } catch (e) {
    return { refused: `the provider's token answer was not accepted: ${e instanceof Error ? e.message.slice(0, 200) : "invalid"}` };
  }
  if (!as.jwks_uri) return { refused: "the provider's discovery document names no jwks_uri to check its ID token with" };
  try {
    const { payload } = await jwtVerify(idToken, keysOf(as.jwks_uri), { issuer: as.issuer, audience: cfg.clientId });
    return verifiedEmail(payload.email, payload.email_verified === true, "the provider");
  } catch {
    return { refused: "the provider's ID token is not signed by its keys" };
  }
}
