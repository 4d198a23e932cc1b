import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { jwtVerify, SignJWT } from "jose";
import { keyRing } from "../auth/keys.js";
import type { Config } from "../env.js";
import type { OidcFlow } from "./oidc.js";

const FLOW_AUDIENCE = "docklight-sso-flow";
/** How long a sign-in at the provider may take (s). */
export const FLOW_TTL_SECONDS = 10 * 60;

/** `__Host-` in production, as the session cookie. */
const cookieName = (config: Config) => (config.production ? "__Host-docklight_sso" : "docklight_sso");

/**
 * SameSite=Lax, unlike every other cookie here: the provider sends the browser back with a
 * cross-site navigation, which a Strict cookie would not be sent with. It holds only this one
 * flow's state, nonce and PKCE verifier, signed (HS256, its own key from SESSION_SECRET), httpOnly.
 */
export async function setFlow(c: Context, config: Config, flow: OidcFlow): Promise<void> {
  const token = await new SignJWT({ ...flow })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(FLOW_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${FLOW_TTL_SECONDS}s`)
    .sign((await keyRing(config, "ssoFlow")).current);
  setCookie(c, cookieName(config), token, { httpOnly: true, secure: config.production, sameSite: "Lax", path: "/", maxAge: FLOW_TTL_SECONDS });
}

/** The flow this browser started (and it is spent: the cookie is cleared), or null. */
export async function takeFlow(c: Context, config: Config): Promise<OidcFlow | null> {
  const token = getCookie(c, cookieName(config));
  if (!token) return null;
  deleteCookie(c, cookieName(config), { path: "/", secure: config.production, httpOnly: true, sameSite: "Lax" });
  try {
    const { payload } = await jwtVerify(token, (await keyRing(config, "ssoFlow")).current, { algorithms: ["HS256"], audience: FLOW_AUDIENCE });
    const { state, nonce, verifier } = payload;
    return typeof state === "string" && typeof nonce === "string" && typeof verifier === "string" ? { state, nonce, verifier } : null;
  } catch {
    return null;
  }
}
