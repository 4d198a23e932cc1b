import type { Env } from "../env.js";

/** The single Team Durable Object (users, roles, grants, invitations). */
export function team(env: Env) {
  return env.TEAM.get(env.TEAM.idFromName("team"));
}
