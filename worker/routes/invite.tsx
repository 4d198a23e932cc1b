import { Hono } from "hono";
import { z } from "zod";
import { hashPassword } from "../auth/password.js";
import { issueSession } from "../auth/session.js";
import { sha256Hex } from "../auth/crypto.js";
import { audit } from "../audit/record.js";
import { authGuard, clientIp, userAgent } from "../guard/client.js";
import { InvitePage } from "../pages/users.js";
import { team } from "../team/client.js";
import type { AppEnv } from "../types.js";
import { valid } from "./input.js";

const tokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.") });
/** A new user's password: 12 to 1024 characters, typed twice. */
const passwordForm = z
  .object({
    password: z.string().min(12, "Choose a password of at least 12 characters").max(1024, "That password is too long"),
    confirm: z.string(),
  })
  .refine((f) => f.password === f.confirm, { message: "The two passwords differ", path: ["confirm"] });

/**
 * `/invite/:token`, before any session: the invited user sees who the link is for and sets their
 * password; the link then is spent and they are signed in. An unknown, used or expired link says
 * so (410) and changes nothing.
 */
export const inviteRoutes = new Hono<AppEnv>()
  .get("/invite/:token", valid("param", tokenParam), async (c) => {
    const { token } = c.req.valid("param");
    c.header("cache-control", "no-store");
    const open = await team(c.env).invitation(await sha256Hex(token));
    if ("refused" in open) return c.html(<InvitePage token={token} refused={open.refused} />, 410);
    return c.html(<InvitePage token={token} email={open.email} />);
  })
  .post("/invite/:token", valid("param", tokenParam), async (c) => {
    const { token } = c.req.valid("param");
    c.header("cache-control", "no-store");
    const hash = await sha256Hex(token);
    const form = passwordForm.safeParse(await c.req.parseBody());
    if (!form.success) {
      const open = await team(c.env).invitation(hash);
      if ("refused" in open) return c.html(<InvitePage token={token} refused={open.refused} />, 410);
      return c.html(<InvitePage token={token} email={open.email} error={form.error.issues[0]!.message} />, 400);
    }
    const accepted = await team(c.env).accept(hash, await hashPassword(form.data.password));
    if ("refused" in accepted) return c.html(<InvitePage token={token} refused={accepted.refused} />, 410);
    await audit(c.env, { kind: "invitation", action: "accepted", actor: accepted.user.email, user: accepted.user.email, role: accepted.user.role });
    await authGuard(c.env).recordLogin(clientIp(c.req), userAgent(c.req), "success", "invitation accepted", accepted.user.email);
    await issueSession(c, c.var.config, accepted.user.id);
    return c.redirect("/", 303);
  });
