import type { Env } from "../env.js";

/** The single global AuthGuard object. */
export function authGuard(env: Env) {
  return env.AUTH_GUARD.get(env.AUTH_GUARD.idFromName("global"));
}

/** The client's address as Cloudflare reports it; one fixed key where there is none (local runs). */
export function clientIp(headers: { header(name: string): string | undefined }): string {
  const ip = headers.header("cf-connecting-ip")?.trim();
  return ip && ip.length <= 64 && /^[0-9A-Fa-f:.]+$/.test(ip) ? ip : "local";
}

export function userAgent(headers: { header(name: string): string | undefined }): string {
  return (headers.header("user-agent") ?? "").slice(0, 256);
}
