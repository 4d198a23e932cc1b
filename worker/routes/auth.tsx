import { Hono } from "hono";
import { z } from "zod";
import { keyRing } from "../auth/keys.js";
import { verifyPassword } from "../auth/password.js";
import { clearPending, clearSession, issuePending, readPending } from "../auth/session.js";
import { authGuard } from "../guard/client.js";
import { UNREADABLE_SECRET } from "../guard/totp-store.js";
import { hostStatus } from "../hub/client.js";
import { LoginPage, SecondFactorPage } from "../pages/login.js";
import { team } from "../team/client.js";
import { email, FIRST_OWNER_ID } from "../team/users.js";
import type { AppEnv } from "../types.js";
import { accountRoutes, secondFactorForm } from "./account.js";
import { knownHosts } from "./scope.js";
import { ssoButtons } from "./sso.js";
import { accountPasskeyRoutes, signInPasskeyRoutes } from "./passkeys.js";
import { beginAttempt, signIn } from "./sign-in.js";
import { log } from "../log.js";

const loginForm = z.object({
  /** Empty (or "admin"): the first owner, whose password is DOCKLIGHT_PASSWORD_HASH. */
  email: z.union([z.literal(""), z.literal(FIRST_OWNER_ID), email]).default(""),
  password: z.string().min(1, "Enter the password").max(1024, "That password is too long"),
});

/**
 * The user whose password `password` is, by the e-mail typed (empty: the first owner), or null.
 * A name without an account is checked against the first owner's hash all the same, so the time
 * taken does not tell which e-mails have accounts.
 */
async function passwordUser(env: AppEnv["Bindings"], config: AppEnv["Variables"]["config"], name: string, password: string): Promise<string | null> {
  const id = name === "" ? FIRST_OWNER_ID : name;
  const creds = await team(env).credentials(id === FIRST_OWNER_ID ? "admin" : id);
  const hash = creds?.id === FIRST_OWNER_ID ? config.passwordHash : (creds?.passwordHash ?? config.passwordHash);
  const right = await verifyPassword(password, hash);
  return right && creds && (creds.id === FIRST_OWNER_ID || creds.passwordHash !== null) ? creds.id : null;
}

/** The first host's link state, for the sign-in page's banner (demo mode, offline). */
async function firstHost(c: { env: AppEnv["Bindings"]; var: AppEnv["Variables"] }) {
  const [host] = await knownHosts(c);
  return host ? hostStatus(c.env, host.id, host.name) : null;
}

export const authRoutes = new Hono<AppEnv>()
  .get("/login", async (c) => c.html(<LoginPage host={await firstHost(c)} sso={ssoButtons(c.var.config)} />))
  .post("/login", async (c) => {
    const form = loginForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<LoginPage error={form.error.issues[0]!.message} host={await firstHost(c)} />, 400);
    const attempt = await beginAttempt(c, "login");
    if ("locked" in attempt) return attempt.locked;
    const { guard, ip, ua } = attempt;
    const named = form.data.email || FIRST_OWNER_ID;
    const user = await passwordUser(c.env, c.var.config, form.data.email, form.data.password);
    if (!user) {
      await guard.recordLogin(ip, ua, "bad_password", null, named);
      return c.html(<LoginPage error="That e-mail and password do not match an active account." host={await firstHost(c)} />, 401);
    }
    // A user who turned two-factor sign-in on gives a code next.
    if ((await guard.totpStatus(user)).enabled) {
      await guard.recordLogin(ip, ua, "second_factor", null, named);
      await issuePending(c, c.var.config, user);
      return c.redirect("/login/2fa", 303);
    }
    return signIn(c, attempt, user, "password");
  })
  .get("/login/2fa", async (c) => {
    if (!(await readPending(c, c.var.config))) return c.redirect("/login", 302);
    return c.html(<SecondFactorPage />);
  })
  .post("/login/2fa", async (c) => {
    const pending = await readPending(c, c.var.config);
    if (!pending) return c.redirect("/login", 303);
    const form = secondFactorForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<SecondFactorPage error={form.error.issues[0]!.message} />, 400);
    const attempt = await beginAttempt(c, "code");
    if ("locked" in attempt) return attempt.locked;
    const { guard, ip, ua } = attempt;
    const kind = await guard.verifySecondFactor(pending.sub, form.data.code, await keyRing(c.var.config, "totpSecret"));
    const named = (await team(c.env).get(pending.sub))?.name ?? pending.sub;
    if (kind === "unreadable") {
      log.error("TOTP secret does not open: SESSION_SECRET changed without SESSION_SECRET_PREVIOUS");
      await guard.recordLogin(ip, ua, "bad_code", "secret unreadable", named);
      return c.html(<SecondFactorPage error={UNREADABLE_SECRET} />, 401);
    }
    if (!kind) {
      await guard.recordLogin(ip, ua, "bad_code", null, named);
      return c.html(<SecondFactorPage error="That code is not right (each code works once)." />, 401);
    }
    clearPending(c, c.var.config);
    return signIn(c, attempt, pending.sub, kind === "totp" ? "password + code" : "password + recovery code");
  })
  .post("/logout", async (c) => {
    const { jti, exp } = c.var.session;
    await authGuard(c.env).revoke(jti, exp);
    clearSession(c, c.var.config);
    return c.redirect("/login", 303);
  })
  .post("/logout/all", async (c) => {
    // The first owner's sessions from before users were kept are not listed: theirs ends everyone's.
    if (c.var.user.id === FIRST_OWNER_ID) await authGuard(c.env).revokeAll();
    else await authGuard(c.env).endSessionsOf(c.var.user.id);
    clearSession(c, c.var.config);
    return c.redirect("/login", 303);
  })
  .route("/", signInPasskeyRoutes)
  .route("/", accountRoutes)
  .route("/", accountPasskeyRoutes);
