import { Hono, type Context } from "hono";
import { hostId } from "../../protocol/names.js";
import { audit } from "../audit/record.js";
import { sha256Hex } from "../auth/crypto.js";
import type { Config, Env } from "../env.js";
import { hubFor } from "../hub/client.js";
import { authGuard, clientIp } from "../guard/client.js";
import { hostRegistry } from "../registry/client.js";
import { enrollCode } from "../registry/codes.js";
import { z } from "zod";
import { log } from "../log.js";

type RelayEnv = { Bindings: Env; Variables: { config: Config } };

const enrollForm = z.object({ host: hostId, code: enrollCode });

/** A JSON answer one key a line, so deploy/install.sh (POSIX sh, no JSON parser) can read it with sed. */
const lines = (c: Context, body: Record<string, string>, status: 200 | 400 | 403 | 429) => {
  c.header("cache-control", "no-store");
  return c.body(`${JSON.stringify(body, null, 1)}\n`, status, { "content-type": "application/json; charset=utf-8" });
};

/**
 * The host a request's `?host=ID` and `Authorization: Bearer TOKEN` prove, or null. The host
 * registry keeps only each token's SHA-256, compares in constant time (also for an unknown host,
 * so timing does not tell hosts apart) and records a refusal for a known host, for the Hosts page.
 */
async function provenHost(c: Context<RelayEnv>, record = true): Promise<string | null> {
  const host = hostId.safeParse(c.req.query("host"));
  const token = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  const accepted = await hostRegistry(c.env).checkToken(host.success ? host.data : null, await sha256Hex(token ?? ""), record);
  if (!host.success || !token || !accepted) {
    log.warn("relay refused", { host: c.req.query("host") ?? null, path: c.req.path });
    return null;
  }
  return host.data;
}

export const relayRoutes = new Hono<RelayEnv>()
  /**
   * `GET /relay/connect?host=ID` with `Authorization: Bearer TOKEN`: the relay's outbound socket.
   * Anything wrong is a 401 and nothing reaches the hub.
   */
  .get("/relay/connect", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return c.text("expected a WebSocket upgrade", 426);
    const host = await provenHost(c);
    if (!host) return c.text("relay token refused", 401);
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-docklight-host", host);
    headers.delete("authorization");
    return hubFor(c.env, host).fetch(new Request(c.req.raw.url, { headers }));
  })
  /**
   * `GET /relay/check?host=ID` with the same bearer token: 204 when the edge accepts it, 401 when
   * not, each with a Date header. `docklight-relay doctor` asks here: unlike opening the socket, it
   * never displaces the host's running relay. Limited per client IP and per host id (a yes/no
   * answer to a token; worker/guard/check-limits.ts): 429 with Retry-After past that. A refused
   * check is not recorded as a refused relay: the Hosts page shows only relays the edge turned away.
   */
  .get("/relay/check", async (c) => {
    c.header("date", new Date().toUTCString());
    c.header("cache-control", "no-store");
    const verdict = await authGuard(c.env).beginRelayCheck(clientIp(c.req), (c.req.query("host") ?? "").slice(0, 64));
    if (!verdict.ok) {
      c.header("retry-after", String(verdict.retryAfterSeconds));
      return c.text(`too many token checks; try again in ${verdict.retryAfterSeconds} s`, 429);
    }
    const host = await provenHost(c, false);
    return host ? c.body(null, 204) : c.text("relay token refused", 401);
  })
  /**
   * `POST /relay/enroll` (form: `host`, `code`): the installer trades the install command's
   * one-time code for the host's relay token. 200 `{host, token, publicKey}`; 403 `{error}` for a
   * code that is used, expired or not the host's (each message says to make a new command on the
   * Hosts page); 429 with Retry-After once an address has had too many refused; 400 for a malformed
   * form. The code and the token are never logged.
   */
  .post("/relay/enroll", async (c) => {
    const body = await c.req.parseBody().catch(() => ({}));
    const form = enrollForm.safeParse(body);
    if (!form.success) return lines(c, { error: form.error.issues.map((i) => `${String(i.path[0] ?? "form")}: ${i.message}`).join("; ") }, 400);
    const { host, code } = form.data;
    const answer = await hostRegistry(c.env).exchange(clientIp(c.req), host, code);
    if ("refused" in answer) {
      log.warn("enrollment code refused", { host, reason: answer.refused.reason });
      await audit(c.env, {
        kind: "host",
        action: "enrolled",
        actor: "installer",
        host,
        ok: false,
        detail: `code refused (${answer.refused.reason}) from ${clientIp(c.req)}`,
      });
      if (answer.refused.reason === "limited") c.header("retry-after", String(answer.refused.retryAfterSeconds));
      return lines(c, { error: answer.message }, answer.refused.reason === "limited" ? 429 : 403);
    }
    log.info("host enrolled: its relay token was handed to the installer", { host });
    await audit(c.env, { kind: "host", action: "enrolled", actor: "installer", host, ok: true, detail: `from ${clientIp(c.req)}` });
    return lines(c, { host: answer.host, token: answer.token, publicKey: answer.publicKey }, 200);
  });
