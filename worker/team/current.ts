import type { Session } from "../auth/session.js";
import type { Env } from "../env.js";
import { team } from "./client.js";
import type { PolicyUser } from "./principal.js";

/**
 * The user a live session belongs to while they are active, or null (suspended, removed: the
 * request is then signed out). Read afresh on every request, so a change of role or grants applies
 * to the next one and a suspension ends the session at once.
 */
export async function sessionUser(env: Env, session: Session): Promise<PolicyUser | null> {
  return (await team(env).active(session.sub)) as PolicyUser | null;
}
