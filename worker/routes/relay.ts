import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { hostId } from "../../protocol/names.js";
import { sha256Hex } from "../auth/totp.js";
import type { Config, Env } from "../env.js";
import { hubFor } from "../hub/client.js";

/**
 * `GET /relay/connect?host=ID` with `Authorization: Bearer TOKEN`: the relay's outbound socket.
 * The edge keeps only the SHA-256 of each host's token and compares in constant time; anything
 * wrong is a 401 and nothing reaches the hub.
 */
export const relayRoutes = new Hono<{ Bindings: Env; Variables: { config: Config } }>().get("/relay/connect", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return c.text("expected a WebSocket upgrade", 426);
  const host = hostId.safeParse(c.req.query("host"));
  const token = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  const expected = host.success ? c.var.config.relayTokenHashes[host.data] : undefined;
  const presented = await sha256Hex(token ?? "");
  // Compare even when the host is unknown, so timing does not tell hosts apart.
  const match = await timingSafeEqual(presented, expected ?? "0".repeat(64));
  if (!host.success || !token || !expected || !match) {
    console.warn(JSON.stringify({ msg: "relay refused", host: c.req.query("host") ?? null }));
    return c.text("relay token refused", 401);
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-docklight-host", host.data);
  headers.delete("authorization");
  return hubFor(c.env, host.data).fetch(new Request(c.req.raw.url, { headers }));
});
