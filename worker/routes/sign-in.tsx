import type { Context } from "hono";
import { issueDevice, readDevice } from "../auth/device.js";
import { issueSession } from "../auth/session.js";
import { authGuard, clientIp, userAgent } from "../guard/client.js";
import { LoginPage, SecondFactorPage } from "../pages/login.js";
import { team } from "../team/client.js";
import type { AppEnv } from "../types.js";

/**
 * The steps every way of signing in shares (password, code, passkey): counting the attempt before
 * any secret is checked, and completing a sign-in.
 */

/** "15 seconds", "1 minute", "15 minutes". */
function waitText(seconds: number): string {
  const [n, unit] = seconds < 60 ? [seconds, "second"] : [Math.ceil(seconds / 60), "minute"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** One message whoever is locked out or slowed, so it tells nothing about other clients. */
function tooMany(c: Context<AppEnv>, retryAfterSeconds: number, page: "login" | "code") {
  c.header("Retry-After", String(retryAfterSeconds));
  const error = `Too many sign-in attempts. Try again in ${waitText(retryAfterSeconds)}.`;
  return c.html(page === "login" ? <LoginPage error={error} /> : <SecondFactorPage error={error} />, 429);
}

/**
 * Counts one sign-in attempt for the client (its IP, and its device when the browser carries a
 * valid device cookie) before any secret is checked. Returns the 429 page when a limit applies,
 * else what the step needs.
 */
export async function beginAttempt(c: Context<AppEnv>, page: "login" | "code") {
  const guard = authGuard(c.env);
  const ip = clientIp(c.req);
  const ua = userAgent(c.req);
  const device = await readDevice(c, c.var.config);
  const verdict = await guard.beginAttempt(ip, device);
  if (!verdict.ok) {
    await guard.recordLogin(ip, ua, "locked");
    return { locked: tooMany(c, verdict.retryAfterSeconds, page) } as const;
  }
  return { guard, ip, ua, device } as const;
}

/** A full sign-in: the counts of this IP and device reset, a session, and the device cookie renewed. */
export async function signIn(
  c: Context<AppEnv>,
  attempt: { guard: ReturnType<typeof authGuard>; ip: string; ua: string; device: string | null },
  sub: string,
  detail: string,
) {
  await attempt.guard.clearFailures(attempt.ip, attempt.device);
  const user = await team(c.env).get(sub);
  await attempt.guard.recordLogin(attempt.ip, attempt.ua, "success", detail, user?.name ?? sub);
  await issueSession(c, c.var.config, sub);
  await issueDevice(c, c.var.config, attempt.device);
  return c.redirect("/", 303);
}

/** What `beginAttempt` answers when the attempt may go on. */
export type Attempt = Exclude<Awaited<ReturnType<typeof beginAttempt>>, { locked: Response }>;
