import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { jwtVerify, SignJWT } from "jose";
import type { Config } from "../env.js";
import { keyRing } from "./keys.js";
import { cookieOptions, SESSION_ISSUER } from "./session.js";

/**
 * The device cookie: a browser that has completed a sign-in here before. It signs nobody in; it
 * only exempts its sign-in attempts from the global ceiling (the per-address and per-device
 * limits still apply), so failed logins spread over many addresses cannot lock the admin out.
 * An HS256 JWT under the `deviceCookie` key (HKDF from SESSION_SECRET): its `sub` is a random
 * device id that the guard counts attempts by.
 */
export const DEVICE_AUDIENCE = "docklight-device";
/** Renewed on every full sign-in; a browser unused this long is unknown again. */
export const DEVICE_TTL_SECONDS = 180 * 24 * 3600;

export function deviceCookieName(config: Config): string {
  return config.production ? "__Host-docklight_device" : "docklight_device";
}

/**
 * The device id of a valid device cookie, checked against SESSION_SECRET's key and, during a
 * rotation, SESSION_SECRET_PREVIOUS's; null for an unknown browser (no cookie, forged, expired).
 */
export async function readDevice(c: Context, config: Config): Promise<string | null> {
  const token = getCookie(c, deviceCookieName(config));
  if (!token) return null;
  const ring = await keyRing(config, "deviceCookie");
  for (const key of [ring.current, ring.previous]) {
    if (!key) continue;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        issuer: SESSION_ISSUER,
        audience: DEVICE_AUDIENCE,
        requiredClaims: ["sub", "exp"],
      });
      if (/^[0-9a-f-]{36}$/.test(payload.sub!)) return payload.sub!;
    } catch {
      // the wrong key or not a device token: try the next
    }
  }
  return null;
}

/** After a full sign-in: (re)issues the device cookie, keeping the browser's device id if it had one. */
export async function issueDevice(c: Context, config: Config, device: string | null): Promise<void> {
  const ring = await keyRing(config, "deviceCookie");
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(device ?? crypto.randomUUID())
    .setIssuer(SESSION_ISSUER)
    .setAudience(DEVICE_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${DEVICE_TTL_SECONDS}s`)
    .sign(ring.current);
  setCookie(c, deviceCookieName(config), token, cookieOptions(config, DEVICE_TTL_SECONDS));
}
