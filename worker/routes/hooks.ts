import { Hono } from "hono";
import { hostId } from "../../protocol/names.js";
import { MAX_DELIVERY_BYTES } from "../hooks/verify.js";
import { hubFor } from "../hub/client.js";
import { hostRegistry } from "../registry/client.js";
import type { AppEnv } from "../types.js";

/** A hook's id in its URL: 16 random bytes, base64url. */
const HOOK_ID = /^[A-Za-z0-9_-]{22}$/;

/** The headers a sender signs or names a delivery with; nothing else (cookies…) goes to the hub. */
const KEPT = /^(x-(github|gitea|forgejo|gitlab)-[a-z0-9-]+|x-hub-signature-256|idempotency-key)$/;

/** The body, or null once it is over `max` bytes (read no further). */
async function readCapped(req: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) {
    await req.body?.cancel().catch(() => {});
    return null;
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.byteLength));
  return out;
}

/**
 * Deploy hook deliveries, `POST /hooks/HOST/HOOKID`: no session and no same-origin check (the
 * sender is a Git host); the host's HostHub checks the delivery as its sender signs it and lists
 * it on the app (worker/hooks/deploy-hooks.ts). The answer is JSON the sender's delivery log shows.
 */
export const hookRoutes = new Hono<AppEnv>().post("/hooks/:host/:hook", async (c) => {
  const host = hostId.safeParse(c.req.param("host"));
  const hook = c.req.param("hook");
  // Only a host the registry knows gets a hub woken for it.
  if (!host.success || !HOOK_ID.test(hook) || !(await hostRegistry(c.env).list()).some((h) => h.id === host.data)) {
    return c.json({ outcome: "refused", reason: "no such hook" }, 404);
  }
  const body = await readCapped(c.req.raw, MAX_DELIVERY_BYTES);
  const headers = Object.fromEntries([...c.req.raw.headers].filter(([k]) => KEPT.test(k.toLowerCase())));
  const answer = await hubFor(c.env, host.data).hookDeliver(hook, headers, body);
  if (!answer) return c.json({ outcome: "refused", reason: "no such hook" }, 404);
  return c.json({ outcome: answer.outcome, reason: answer.reason }, answer.status as 200);
});
