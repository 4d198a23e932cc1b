import { jwtVerify, SignJWT } from "jose";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config, Env } from "../env.js";
import { authGuard, clientIp, userAgent } from "../guard/client.js";
import { b64url } from "./crypto.js";

export const SESSION_ISSUER = "docklight";
export const SESSION_AUDIENCE = "docklight-dashboard";
/** The half-signed-in state between the password and the second factor: its own audience. */
export const PENDING_AUDIENCE = "docklight-second-factor";
export const PENDING_TTL_SECONDS = 5 * 60;

/** `__Host-` in production (Secure, Path=/, no Domain); a plain name on http://127.0.0.1 in development. */
export function cookieName(config: Config): string {
  return config.production ? "__Host-docklight_session" : "docklight_session";
}

export function pendingCookieName(config: Config): string {
  return config.production ? "__Host-docklight_2fa" : "docklight_2fa";
}

function key(config: Config): Uint8Array {
  return new TextEncoder().encode(config.sessionSecret);
}

/**
 * What every request's session check derives from the config, once per isolate and secret (each
 * request imported the HMAC key and hashed the fingerprint again): a rotated secret or password
 * hash gives new ones at once, as the memo is keyed by them. Values, not promises: nothing
 * pending is shared between requests.
 */
let derived: { secret: string; hash: string; verifyKey: CryptoKey; fingerprint: string } | null = null;
async function derivedFor(config: Config) {
  if (derived?.secret === config.sessionSecret && derived.hash === config.passwordHash) return derived;
  const verifyKey = await crypto.subtle.importKey("raw", key(config), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${config.passwordHash}\n${config.sessionSecret}`));
  derived = { secret: config.sessionSecret, hash: config.passwordHash, verifyKey, fingerprint: b64url.encode(new Uint8Array(digest).slice(0, 16)) };
  return derived;
}

/**
 * First 16 bytes of SHA-256 over the password hash and the session secret. Carried in every
 * token and checked on every request, so changing either ends every session (and every
 * half-finished sign-in).
 */
export async function credentialFingerprint(config: Config): Promise<string> {
  return (await derivedFor(config)).fingerprint;
}

/** httpOnly, SameSite=Strict, Path=/, Secure in production (what a `__Host-` name needs). */
export function cookieOptions(config: Config, maxAge: number) {
  return { httpOnly: true, secure: config.production, sameSite: "Strict" as const, path: "/", maxAge };
}

export interface Session {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  gen: number;
}

/**
 * A new session for user `subject` (their id), stamped with the guard's current generation and
 * recorded with the guard as theirs (their Account page lists it; suspending them ends it).
 */
export async function issueSession<E extends { Bindings: Env }>(c: Context<E>, config: Config, subject: string): Promise<void> {
  const ttl = config.sessionTtlHours * 3600;
  const guard = authGuard(c.env);
  const gen = await guard.generation();
  const jti = crypto.randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ gen, fp: await credentialFingerprint(config) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(now)
    .setJti(jti)
    .setExpirationTime(now + ttl)
    .sign(key(config));
  await guard.sessionStarted({ jti, user: subject, at: Date.now(), exp: now + ttl, ip: clientIp(c.req), userAgent: userAgent(c.req) });
  setCookie(c, cookieName(config), token, cookieOptions(config, ttl));
}

/**
 * The session in the request's cookie if its JWT verifies (HS256 only, issuer, audience,
 * expiry), its credential fingerprint is current, and the guard has not revoked it (by id or by
 * generation). Any doubt, including an unreachable guard, is no session.
 */
export async function readSession<E extends { Bindings: Env }>(c: Context<E>, config: Config): Promise<Session | null> {
  const token = getCookie(c, cookieName(config));
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, (await derivedFor(config)).verifyKey, {
      algorithms: ["HS256"],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    if (payload.fp !== (await credentialFingerprint(config))) return null;
    if (typeof payload.gen !== "number" || !Number.isSafeInteger(payload.gen)) return null;
    if (!(await authGuard(c.env).sessionValid(payload.jti!, payload.gen))) return null;
    return { sub: payload.sub!, jti: payload.jti!, iat: payload.iat!, exp: payload.exp!, gen: payload.gen };
  } catch {
    return null;
  }
}

export function clearSession(c: Context, config: Config): void {
  deleteCookie(c, cookieName(config), { path: "/", secure: config.production, httpOnly: true, sameSite: "Strict" });
}

/** After the right password when a second factor is on: a 5-minute token that is not a session. */
export async function issuePending(c: Context, config: Config, subject: string): Promise<void> {
  const token = await new SignJWT({ fp: await credentialFingerprint(config) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(subject)
    .setIssuer(SESSION_ISSUER)
    .setAudience(PENDING_AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${PENDING_TTL_SECONDS}s`)
    .sign(key(config));
  setCookie(c, pendingCookieName(config), token, cookieOptions(config, PENDING_TTL_SECONDS));
}

export async function readPending(c: Context, config: Config): Promise<{ sub: string } | null> {
  const token = getCookie(c, pendingCookieName(config));
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, (await derivedFor(config)).verifyKey, {
      algorithms: ["HS256"],
      issuer: SESSION_ISSUER,
      audience: PENDING_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    if (payload.fp !== (await credentialFingerprint(config))) return null;
    return { sub: payload.sub! };
  } catch {
    return null;
  }
}

export function clearPending(c: Context, config: Config): void {
  deleteCookie(c, pendingCookieName(config), { path: "/", secure: config.production, httpOnly: true, sameSite: "Strict" });
}
