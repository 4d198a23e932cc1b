import { Hono, type Context } from "hono";
import { FIRST_OWNER_ID } from "../team/users.js";
import { mayAct } from "../../protocol/policy.js";
import { valid } from "./input.js";
import { keyRing } from "../auth/keys.js";
import { issueSession } from "../auth/session.js";
import { otpauthUri } from "../auth/totp.js";
import { authGuard } from "../guard/client.js";
import { UNREADABLE_SECRET } from "../guard/totp-store.js";
import { team } from "../team/client.js";
import { AccountPage, EnrolPage, RecoveryCodesPage, TotpManagePage } from "../pages/account.js";
import type { AppEnv } from "../types.js";
import { z } from "zod";

const enrolCode = z.object({
  code: z
    .string({ error: "Enter the code" })
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code from the app"),
});
/** A second factor as typed: a 6-digit TOTP code or a recovery code (`xxxxx-xxxxx`). */
export const secondFactorForm = z.object({
  code: z
    .string({ error: "Enter the code" })
    .trim()
    .min(1, "Enter the code")
    .max(16, "That code is too long")
    .regex(/^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/, "Enter the 6-digit code or a recovery code (xxxxx-xxxxx)"),
});

/**
 * The Account page of the signed-in user: their sessions and sign-ins, passkeys, the second
 * factor, and what just happened (`say`: a notice, or an error with its status).
 */
export async function accountPage(c: Context<AppEnv>, say: string | { notice?: string; error?: string } = {}, status: 200 | 400 | 404 | 409 = 200) {
  const guard = authGuard(c.env);
  const { user, session } = c.var;
  const [logins, totp, sessions, passkeys] = await Promise.all([
    guard.listLogins(20, user.name),
    guard.totpStatus(user.id),
    guard.sessionsOf(user.id),
    team(c.env).passkeysOf(user.id),
  ]);
  const view = {
    user: { email: user.name, role: user.role },
    sessions,
    current: session.jti,
    manages: mayAct(user.role, "users.manage").allowed,
    firstOwner: user.id === FIRST_OWNER_ID,
    passkeys,
  };
  const { notice, error } = typeof say === "string" ? { notice: say, error: undefined } : say;
  return c.html(<AccountPage logins={logins} totp={totp} view={view} notice={notice} error={error} />, status);
}

const jtiParam = z.object({ jti: z.string().uuid() });

/** `/account`: the user's sessions and sign-ins, log out everywhere, the TOTP second factor. Behind the session. */
export const accountRoutes = new Hono<AppEnv>()
  .get("/account", (c) => accountPage(c))
  .post("/account/sessions/:jti/end", valid("param", jtiParam), async (c) => {
    // Only a session of the signed-in user's own can be ended here.
    const ended = await authGuard(c.env).endSessionOf(c.var.user.id, c.req.valid("param").jti);
    if (c.req.valid("param").jti === c.var.session.jti && ended) return c.redirect("/login", 303);
    return accountPage(c, ended ? "That session has ended." : "That session had already ended.");
  })
  .get("/account/2fa", async (c) => {
    // It shows the TOTP secret: never kept by a browser's or a proxy's cache.
    c.header("cache-control", "no-store");
    const guard = authGuard(c.env);
    const { user } = c.var;
    const enrol = await guard.beginEnrolment(user.id, await keyRing(c.var.config, "totpSecret"));
    if ("alreadyEnabled" in enrol) return c.html(<TotpManagePage totp={await guard.totpStatus(user.id)} />);
    return c.html(<EnrolPage secret={enrol.secret} uri={otpauthUri(enrol.secret, user.name)} />);
  })
  .post("/account/2fa/confirm", async (c) => {
    // It shows the recovery codes (or the secret again): never cached.
    c.header("cache-control", "no-store");
    const guard = authGuard(c.env);
    const keys = await keyRing(c.var.config, "totpSecret");
    const form = enrolCode.safeParse(await c.req.parseBody());
    const error = form.success ? null : form.error.issues[0]!.message;
    const { user } = c.var;
    const result = form.success ? await guard.confirmEnrolment(user.id, form.data.code, keys) : null;
    if (result?.ok) {
      // Every other session (password only) has just ended; this one continues.
      await issueSession(c, c.var.config, c.var.session.sub);
      return c.html(<RecoveryCodesPage codes={result.recoveryCodes} />);
    }
    const enrol = await guard.beginEnrolment(user.id, keys);
    if ("alreadyEnabled" in enrol) return c.redirect("/account/2fa", 303);
    return c.html(
      <EnrolPage secret={enrol.secret} uri={otpauthUri(enrol.secret, user.name)} error={error ?? result?.reason ?? "That code is not right."} />,
      400,
    );
  })
  .post("/account/2fa/disable", async (c) => {
    const guard = authGuard(c.env);
    const { user } = c.var;
    const form = secondFactorForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<TotpManagePage totp={await guard.totpStatus(user.id)} error={form.error.issues[0]!.message} />, 400);
    const kind = await guard.verifySecondFactor(user.id, form.data.code, await keyRing(c.var.config, "totpSecret"));
    if (kind !== "totp" && kind !== "recovery") {
      const error = kind === "unreadable" ? UNREADABLE_SECRET : "That code is not right (each code works once).";
      return c.html(<TotpManagePage totp={await guard.totpStatus(user.id)} error={error} />, 400);
    }
    await guard.disableTotp(user.id);
    return accountPage(c, "Two-factor sign-in is off.");
  });
