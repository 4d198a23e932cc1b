import { Hono, type Context } from "hono";
import { z } from "zod";
import { role } from "../../protocol/policy.js";
import { appName, hostId } from "../../protocol/names.js";
import { b64url } from "../auth/crypto.js";
import { sha256Hex } from "../auth/crypto.js";
import { audit } from "../audit/record.js";
import { authGuard } from "../guard/client.js";
import { UsersPage } from "../pages/users.js";
import { team } from "../team/client.js";
import { requireAction } from "../team/guard.js";
import { grantForm, grantOf, inviteForm, type TeamRefusal, type TeamUser } from "../team/users.js";
import type { AppEnv } from "../types.js";
import { valid } from "./input.js";
import { knownHosts } from "./scope.js";

const idParam = z.object({ id: z.string().regex(/^(admin|[0-9a-f-]{36})$/, "no such user") });
const roleForm = z.object({ role });
const grantKey = z.object({ host: hostId, app: z.union([z.literal(""), appName]).default("") });

/** A new invitation token: 32 random bytes, base64url (only its SHA-256 is stored). */
export function newInviteToken(): string {
  return b64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/** The Users page, with what just happened (or why it was refused, with its status). */
async function page(
  c: Context<AppEnv>,
  say: { notice?: string; error?: string; invite?: { token: string; email: string; expiresAt: number } } = {},
  status: 200 | 400 | 409 = 200,
) {
  const [users, hosts, logins] = await Promise.all([team(c.env).list(), knownHosts(c), authGuard(c.env).listLogins(50)]);
  if (say.invite) c.header("cache-control", "no-store"); // it shows the link, once
  const invite = say.invite ? { ...say.invite, origin: new URL(c.req.url).origin } : undefined;
  return c.html(<UsersPage users={users as TeamUser[]} hosts={hosts} logins={logins} notice={say.notice} error={say.error} invite={invite} />, status);
}

type UserAction = "role" | "grant" | "grant-removed" | "suspended" | "reinstated" | "removed";

/**
 * After a change to user `id`: it is audited (done or refused), then the page showing it, or the
 * refusal (409: the team's rules said no). `what` names the grant or role it was about.
 */
async function after(
  c: Context<AppEnv>,
  id: string,
  action: UserAction,
  result: { user: TeamUser } | { removed: TeamUser } | TeamRefusal,
  notice: (u: TeamUser) => string,
  what: { detail?: string; host?: string; app?: string | null } = {},
) {
  const subject = "refused" in result ? ((await team(c.env).get(id))?.email ?? id) : ("user" in result ? result.user : result.removed).email;
  const refusedWhy = "refused" in result ? result.refused : null;
  await audit(c.env, { kind: "user", action, actor: c.var.user.name, user: subject, ok: !refusedWhy, ...what, detail: refusedWhy ?? what.detail ?? null });
  if ("refused" in result) return page(c, { error: result.refused }, 409);
  return page(c, { notice: notice("user" in result ? result.user : result.removed) });
}

const manage = requireAction("users.manage");

/** `/users`: the owner's page of the team (see UsersPage). Every route asks the policy's `users.manage` first. */
export const usersRoutes = new Hono<AppEnv>()
  .get("/", manage, (c) => page(c))
  .post("/invite", manage, valid("form", inviteForm), async (c) => {
    const { email, role } = c.req.valid("form");
    const token = newInviteToken();
    const made = await team(c.env).invite(email, role, await sha256Hex(token));
    if ("refused" in made) return page(c, { error: made.refused }, 400);
    await audit(c.env, { kind: "invitation", action: "invited", actor: c.var.user.name, user: email, role });
    return page(c, { notice: `Invited ${email} as ${role}.`, invite: { token, email, expiresAt: made.expiresAt } });
  })
  .post("/:id/role", manage, valid("param", idParam), valid("form", roleForm), async (c) => {
    const { id } = c.req.valid("param");
    const { role } = c.req.valid("form");
    const r = await team(c.env).setRole(id, role);
    return after(c, id, "role", r as Awaited<typeof r>, (u) => `${u.email} is now ${u.role}.`, { detail: `to ${role}` });
  })
  .post("/:id/grants", manage, valid("param", idParam), valid("form", grantForm), async (c) => {
    const { id } = c.req.valid("param");
    const g = grantOf(c.req.valid("form"));
    const r = await team(c.env).grant(id, g);
    const detail = [g.hostRoot ? "host-root" : null, g.reveal ? "reveal" : null].filter(Boolean).join(", ") || undefined;
    return after(c, id, "grant", r as Awaited<typeof r>, (u) => `Granted to ${u.email}.`, { host: g.host, app: g.app, ...(detail ? { detail } : {}) });
  })
  .post("/:id/grants/remove", manage, valid("param", idParam), valid("form", grantKey), async (c) => {
    const { host, app } = c.req.valid("form");
    const { id } = c.req.valid("param");
    const r = await team(c.env).revokeGrant(id, host, app === "" ? null : app);
    return after(c, id, "grant-removed", r as Awaited<typeof r>, (u) => `Took back a grant from ${u.email}.`, { host, app: app === "" ? null : app });
  })
  .post("/:id/suspend", manage, valid("param", idParam), async (c) => {
    const id = c.req.valid("param").id;
    const r = await team(c.env).setSuspended(id, true);
    // Suspended: every session of theirs ends now (the session check also refuses a suspended user).
    if (!("refused" in r)) await authGuard(c.env).endSessionsOf(id);
    return after(c, id, "suspended", r as Awaited<typeof r>, (u) => `${u.email} is suspended: their sessions have ended.`);
  })
  .post("/:id/reinstate", manage, valid("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const r = await team(c.env).setSuspended(id, false);
    return after(c, id, "reinstated", r as Awaited<typeof r>, (u) => `${u.email} may sign in again.`);
  })
  .post("/:id/remove", manage, valid("param", idParam), async (c) => {
    const id = c.req.valid("param").id;
    const r = await team(c.env).remove(id);
    if (!("refused" in r)) await Promise.all([authGuard(c.env).endSessionsOf(id), authGuard(c.env).disableTotp(id)]);
    return after(c, id, "removed", r as Awaited<typeof r>, (u) => `${u.email} was removed: their sessions have ended.`);
  });
