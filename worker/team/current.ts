import type { Session } from "../auth/session.js";
import type { Env } from "../env.js";
import type { PolicyUser } from "./principal.js";

/** The first owner: the account of DOCKLIGHT_PASSWORD_HASH, whose sessions have always had subject "admin". */
export const FIRST_OWNER: PolicyUser = Object.freeze({ id: "admin", name: "admin", role: "owner", grants: [] });

/**
 * The user a live session belongs to, or null when it no longer has one (the request is then
 * signed out). Every request behind the session reads it afresh, so a change of role or grants
 * applies to the next request.
 */
export async function sessionUser(_env: Env, session: Session): Promise<PolicyUser | null> {
  return session.sub === FIRST_OWNER.id ? FIRST_OWNER : null;
}
