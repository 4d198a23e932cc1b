import { Hono } from "hono";
import { keyRing } from "../auth/keys.js";
import { issueSession } from "../auth/session.js";
import { otpauthUri } from "../auth/totp.js";
import { authGuard } from "../guard/client.js";
import { UNREADABLE_SECRET } from "../guard/totp-store.js";
import { AccountPage, EnrolPage, RecoveryCodesPage, TotpManagePage } from "../pages/account.js";
import type { AppEnv } from "../types.js";
import { z } from "zod";

const enrolCode = z.object({ code: z.string({ error: "Enter the code" }).trim().regex(/^\d{6}$/, "Enter the 6-digit code from the app") });
/** A second factor as typed: a 6-digit TOTP code or a recovery code (`xxxxx-xxxxx`). */
export const secondFactorForm = z.object({
  code: z
    .string({ error: "Enter the code" })
    .trim()
    .min(1, "Enter the code")
    .max(16, "That code is too long")
    .regex(/^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/, "Enter the 6-digit code or a recovery code (xxxxx-xxxxx)"),
});

/** `/account`: sign-in history, log out everywhere, the TOTP second factor. Behind the session. */
export const accountRoutes = new Hono<AppEnv>()
  .get("/account", async (c) => {
    const guard = authGuard(c.env);
    const [logins, totp] = await Promise.all([guard.listLogins(20), guard.totpStatus()]);
    return c.html(<AccountPage logins={logins} totp={totp} />);
  })
  .get("/account/2fa", async (c) => {
    // It shows the TOTP secret: never kept by a browser's or a proxy's cache.
    c.header("cache-control", "no-store");
    const guard = authGuard(c.env);
    const enrol = await guard.beginEnrolment(await keyRing(c.var.config, "totpSecret"));
    if ("alreadyEnabled" in enrol) return c.html(<TotpManagePage totp={await guard.totpStatus()} />);
    return c.html(<EnrolPage secret={enrol.secret} uri={otpauthUri(enrol.secret, c.var.session.sub)} />);
  })
  .post("/account/2fa/confirm", async (c) => {
    // It shows the recovery codes (or the secret again): never cached.
    c.header("cache-control", "no-store");
    const guard = authGuard(c.env);
    const keys = await keyRing(c.var.config, "totpSecret");
    const form = enrolCode.safeParse(await c.req.parseBody());
    const error = form.success ? null : form.error.issues[0]!.message;
    const result = form.success ? await guard.confirmEnrolment(form.data.code, keys) : null;
    if (result?.ok) {
      // Every other session (password only) has just ended; this one continues.
      await issueSession(c, c.var.config, c.var.session.sub);
      return c.html(<RecoveryCodesPage codes={result.recoveryCodes} />);
    }
    const enrol = await guard.beginEnrolment(keys);
    if ("alreadyEnabled" in enrol) return c.redirect("/account/2fa", 303);
    return c.html(
      <EnrolPage secret={enrol.secret} uri={otpauthUri(enrol.secret, c.var.session.sub)} error={error ?? result?.reason ?? "That code is not right."} />,
      400,
    );
  })
  .post("/account/2fa/disable", async (c) => {
    const guard = authGuard(c.env);
    const form = secondFactorForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(<TotpManagePage totp={await guard.totpStatus()} error={form.error.issues[0]!.message} />, 400);
    const kind = await guard.verifySecondFactor(form.data.code, await keyRing(c.var.config, "totpSecret"));
    if (kind !== "totp" && kind !== "recovery") {
      const error = kind === "unreadable" ? UNREADABLE_SECRET : "That code is not right (each code works once).";
      return c.html(<TotpManagePage totp={await guard.totpStatus()} error={error} />, 400);
    }
    await guard.disableTotp();
    return c.html(<AccountPage logins={await guard.listLogins(20)} totp={await guard.totpStatus()} notice="Two-factor sign-in is off." />);
  });
