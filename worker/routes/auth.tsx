import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { verifyPassword } from "../auth/password.js";
import { clearPending, clearSession, issuePending, issueSession, readPending } from "../auth/session.js";
import { authGuard, clientIp, userAgent } from "../guard/client.js";
import { hostStatus } from "../hub/client.js";
import { LoginPage, SecondFactorPage } from "../pages/login.js";
import type { AppEnv } from "../types.js";
import { accountRoutes, codeForm } from "./account.js";
import { knownHosts } from "./scope.js";

const loginForm = z.object({ password: z.string().min(1, "Enter the password").max(1024, "That password is too long") });

/** The first host's link state, for the sign-in page's banner (demo mode, offline). */
async function firstHost(c: { env: AppEnv["Bindings"]; var: AppEnv["Variables"] }) {
  const [host] = await knownHosts(c);
  return host ? hostStatus(c.env, host) : null;
}

/** One message whoever is locked out, so it tells nothing about other clients. */
function tooMany(c: Context<AppEnv>, retryAfterSeconds: number, page: "login" | "code") {
  c.header("Retry-After", String(retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const error = `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  return c.html(page === "login" ? <LoginPage error={error} /> : <SecondFactorPage error={error} />, 429);
}

/**
 * Counts one sign-in attempt for the client before any secret is checked (a full success clears
 * the IP's count). Returns the 429 page when the client is locked out, else what the step needs.
 */
async function beginAttempt(c: Context<AppEnv>, page: "login" | "code") {
  const guard = authGuard(c.env);
  const ip = clientIp(c.req);
  const ua = userAgent(c.req);
  const verdict = await guard.beginAttempt(ip);
  if (!verdict.ok) {
    await guard.recordLogin(ip, ua, "locked");
    return { locked: tooMany(c, verdict.retryAfterSeconds, page) } as const;
  }
  return { guard, ip, ua } as const;
}

export const authRoutes = new Hono<AppEnv>()
  .get("/login", async (c) => c.html(<LoginPage host={await firstHost(c)} />))
  .post("/login", async (c) => {
    const form = loginForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<LoginPage error={form.error.issues[0]!.message} host={await firstHost(c)} />, 400);
    const attempt = await beginAttempt(c, "login");
    if ("locked" in attempt) return attempt.locked;
    const { guard, ip, ua } = attempt;
    if (!(await verifyPassword(form.data.password, c.var.config.passwordHash))) {
      await guard.recordLogin(ip, ua, "bad_password");
      return c.html(<LoginPage error="That password is not right." host={await firstHost(c)} />, 401);
    }
    if ((await guard.totpStatus()).enabled) {
      await guard.recordLogin(ip, ua, "second_factor");
      await issuePending(c, c.var.config, "admin");
      return c.redirect("/login/2fa", 303);
    }
    await guard.clearFailures(ip);
    await guard.recordLogin(ip, ua, "success", "password");
    await issueSession(c, c.var.config, "admin");
    return c.redirect("/", 303);
  })
  .get("/login/2fa", async (c) => {
    if (!(await readPending(c, c.var.config))) return c.redirect("/login", 302);
    return c.html(<SecondFactorPage />);
  })
  .post("/login/2fa", async (c) => {
    const pending = await readPending(c, c.var.config);
    if (!pending) return c.redirect("/login", 303);
    const form = codeForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<SecondFactorPage error={form.error.issues[0]!.message} />, 400);
    const attempt = await beginAttempt(c, "code");
    if ("locked" in attempt) return attempt.locked;
    const { guard, ip, ua } = attempt;
    const kind = await guard.verifySecondFactor(form.data.code);
    if (!kind) {
      await guard.recordLogin(ip, ua, "bad_code");
      return c.html(<SecondFactorPage error="That code is not right (each code works once)." />, 401);
    }
    await guard.clearFailures(ip);
    await guard.recordLogin(ip, ua, "success", kind === "totp" ? "password + code" : "password + recovery code");
    clearPending(c, c.var.config);
    await issueSession(c, c.var.config, pending.sub);
    return c.redirect("/", 303);
  })
  .post("/logout", async (c) => {
    const { jti, exp } = c.var.session;
    await authGuard(c.env).revoke(jti, exp);
    clearSession(c, c.var.config);
    return c.redirect("/login", 303);
  })
  .post("/logout/all", async (c) => {
    await authGuard(c.env).revokeAll();
    clearSession(c, c.var.config);
    return c.redirect("/login", 303);
  })
  .route("/", accountRoutes);
