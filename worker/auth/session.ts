import { jwtVerify, SignJWT } from "jose";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../env.js";

export const SESSION_ISSUER = "docklight";
export const SESSION_AUDIENCE = "docklight-dashboard";

/** `__Host-` in production (Secure, Path=/, no Domain); a plain name on http://127.0.0.1 in development. */
export function cookieName(config: Config): string {
  return config.production ? "__Host-docklight_session" : "docklight_session";
}

function key(config: Config): Uint8Array {
  return new TextEncoder().encode(config.sessionSecret);
}

export async function issueSession(c: Context, config: Config, subject: string): Promise<void> {
  const ttl = config.sessionTtlHours * 3600;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${ttl}s`)
    .sign(key(config));
  setCookie(c, cookieName(config), token, {
    httpOnly: true,
    secure: config.production,
    sameSite: "Strict",
    path: "/",
    maxAge: ttl,
  });
}

export interface Session {
  sub: string;
  jti: string;
  iat: number;
}

/** The session in the request's cookie, if its JWT verifies (HS256 only, issuer, audience, expiry). */
export async function readSession(c: Context, config: Config): Promise<Session | null> {
  const token = getCookie(c, cookieName(config));
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(config), {
      algorithms: ["HS256"],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    return { sub: payload.sub!, jti: payload.jti!, iat: payload.iat! };
  } catch {
    return null;
  }
}

export function clearSession(c: Context, config: Config): void {
  deleteCookie(c, cookieName(config), { path: "/", secure: config.production, httpOnly: true, sameSite: "Strict" });
}
