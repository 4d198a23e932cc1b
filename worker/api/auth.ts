import type { MiddlewareHandler } from "hono";
import { hostId } from "../../protocol/names.js";
import type { Principal } from "../../protocol/principal.js";
import { sha256Hex } from "../auth/crypto.js";
import type { Env } from "../env.js";
import { hostClient, type HostClient } from "../hub/client.js";
import { log } from "../log.js";
import { knownHosts } from "../routes/scope.js";
import { tokenText, type ApiToken } from "../team/api-tokens.js";
import { team } from "../team/client.js";
import { tokenPrincipal, type PolicyUser } from "../team/principal.js";

/** Hono's environment of the API: the token and its user once `tokenAuth` passed; `host` under `/hosts/:host`. */
export type ApiEnv = {
  Bindings: Env;
  Variables: { token: ApiToken; tokenUser: PolicyUser; host: HostClient; principal: Principal };
};

const WHY: Record<string, string> = {
  unknown: "this token is not known (it may have been removed)",
  expired: "this token has expired: make a new one on the Account page",
  revoked: "this token was revoked",
  "user inactive": "the user this token belongs to is suspended or removed",
};

/** A refusal of the API as JSON: `{ error, code }`. */
export const apiRefusal = (error: string, code: string, opId?: string) => ({ error, code, ...(opId ? { opId } : {}) });

/**
 * `Authorization: Bearer dlt_…`: the token (by its SHA-256) and its active user, else 401 with why.
 * Then, once the route answered, the call is logged under the token's name, user and answer (the
 * edge's record of API calls: worker/log.ts; never the token).
 */
export const tokenAuth: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const parsed = tokenText.safeParse(given);
  const refuse = (why: string) => c.json(apiRefusal(why, "unauthorized"), 401, { "www-authenticate": 'Bearer realm="docklight"' });
  if (!parsed.success) return refuse(given ? "that is not a Docklight API token" : "give an API token: Authorization: Bearer dlt_…");
  const used = await team(c.env).tokenUse(await sha256Hex(parsed.data));
  if ("refused" in used) {
    log.warn("api token refused", { why: used.refused, path: c.req.path });
    return refuse(WHY[used.refused] ?? "this token is not accepted");
  }
  c.set("token", used.token);
  c.set("tokenUser", used.user as PolicyUser);
  await next();
  log.info("api call", {
    token: used.token.name,
    tokenId: used.token.id,
    user: used.user.name,
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
  });
};

/**
 * The API's host guard, under `/hosts/:host`: 404 for a host this edge does not know, 403 when the
 * token is for another host; then `c.var.host` is the host's client acting as the token's principal
 * (tokenPrincipal: never more than its user may do), on which the HostHub decides every op.
 */
export const tokenHost: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const host = hostId.safeParse(c.req.param("host"));
  const known = host.success ? (await knownHosts(c)).find((h) => h.id === host.data) : undefined;
  if (!known) return c.json(apiRefusal("this edge has no host by that name", "not_found"), 404);
  const principal = tokenPrincipal(c.var.tokenUser, c.var.token, known.id);
  if (!principal) return c.json(apiRefusal(`Not allowed: this token is for host ${c.var.token.host}.`, "denied"), 403);
  c.set("principal", principal);
  c.set("host", hostClient(c.env, known.id, principal, known.name));
  await next();
};
