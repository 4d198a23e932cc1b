import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** Strict headers on every response: no inline script or style, no framing, no referrer leaks. */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  xFrameOptions: "DENY",
  // Not "no-referrer": with it, Chromium sends `Origin: null` on form posts and the same-origin
  // check below would refuse the dashboard's own forms. "same-origin" still sends nothing off-site.
  referrerPolicy: "same-origin",
  xContentTypeOptions: "nosniff",
  crossOriginOpenerPolicy: "same-origin",
  crossOriginResourcePolicy: "same-origin",
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
});

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a browser request comes from this origin. `Origin`, when present and not the opaque
 * `null`, must equal the request's own origin; otherwise `Sec-Fetch-Site`, when present, must be
 * `same-origin`. With neither header (not a browser, or a very old one) only safe methods pass.
 */
export function isSameOrigin(req: Request): boolean {
  const own = new URL(req.url).origin;
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== "null") return origin === own;
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  if (origin === "null") return false;
  return SAFE_METHODS.has(req.method.toUpperCase());
}

/**
 * For stream and socket endpoints (SSE over GET, WebSocket upgrades) that hono/csrf does not
 * look at: a cross-origin page must not open them with the user's cookie. Use it on every
 * browser-facing `text/event-stream` or upgrade route; not on `/relay/connect`, which is not a
 * browser endpoint and has its own bearer token.
 */
export const requireSameOrigin: MiddlewareHandler = async (c, next) => {
  if (!isSameOrigin(c.req.raw)) return c.text("cross-origin request refused", 403);
  await next();
};

/**
 * Every state-changing request (any method but GET/HEAD/OPTIONS, whatever its content type:
 * forms, htmx posts, JSON, empty bodies) must come from this origin. hono/csrf covers only
 * form-like content types; this covers the rest.
 */
export const sameOriginWrites: MiddlewareHandler = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method.toUpperCase()) && !isSameOrigin(c.req.raw)) {
    return c.text("cross-origin request refused", 403);
  }
  await next();
};
