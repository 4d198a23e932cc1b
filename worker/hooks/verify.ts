import { z } from "zod";

/**
 * Reading one webhook delivery as its sender signs it (pure: no storage, no clock).
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, `X-GitHub-Event`,
 *   `X-GitHub-Delivery` (docs.github.com, "Validating webhook deliveries").
 * - Gitea and Forgejo: `X-Gitea-Signature` / `X-Forgejo-Signature: <hex HMAC-SHA256>`,
 *   `X-Gitea-Event`, `X-Gitea-Delivery` (go-gitea/gitea services/webhook/deliver.go). Checked
 *   before GitHub's headers, which Gitea sends too.
 * - GitLab: `X-Gitlab-Token: <the secret itself>`, `X-Gitlab-Event: Push Hook`,
 *   `X-Gitlab-Event-UUID` (or `Idempotency-Key`) (docs.gitlab.com, "Webhooks").
 */

/** The largest body a delivery may have (bytes): a push of many commits is well under it. */
export const MAX_DELIVERY_BYTES = 256 * 1024;

export type Sender = "github" | "gitea" | "gitlab";

/** What the headers say about a delivery before its body is trusted. */
export interface DeliveryHeaders {
  sender: Sender;
  /** The sender's id of this delivery (a replay carries the same); null when it sent none. */
  deliveryId: string | null;
  /** The event as the sender names it ("push", "Push Hook", "ping"…). */
  event: string;
  /** The signature (hex HMAC) or, for GitLab, the token as sent. */
  proof: string | null;
}

/** Which sender a delivery comes from, by its headers; null when none of them. */
export function readHeaders(h: Headers): DeliveryHeaders | null {
  const id = (...names: string[]) =>
    names
      .map((n) => h.get(n))
      .find((v) => v !== null && v !== "")
      ?.slice(0, 200) ?? null;
  if (h.has("x-gitea-event") || h.has("x-forgejo-event")) {
    return {
      sender: "gitea",
      deliveryId: id("x-gitea-delivery", "x-forgejo-delivery"),
      event: id("x-gitea-event", "x-forgejo-event") ?? "",
      proof: id("x-gitea-signature", "x-forgejo-signature"),
    };
  }
  if (h.has("x-gitlab-event")) {
    return {
      sender: "gitlab",
      deliveryId: id("x-gitlab-event-uuid", "idempotency-key", "x-gitlab-webhook-uuid"),
      event: id("x-gitlab-event") ?? "",
      proof: id("x-gitlab-token"),
    };
  }
  if (h.has("x-github-event")) {
    const sig = id("x-hub-signature-256");
    return {
      sender: "github",
      deliveryId: id("x-github-delivery"),
      event: id("x-github-event") ?? "",
      proof: sig?.startsWith("sha256=") ? sig.slice(7) : null,
    };
  }
  return null;
}

/** Whether the event is a push (each sender names it its own way). */
export function isPush(d: DeliveryHeaders): boolean {
  return d.sender === "gitlab" ? d.event === "Push Hook" : d.event === "push";
}

const enc = new TextEncoder();

/** Constant-time equality of two byte strings of any lengths (both hashed first, so lengths leak nothing). */
async function sameBytes(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest("SHA-256", a as BufferSource), crypto.subtle.digest("SHA-256", b as BufferSource)]);
  return crypto.subtle.timingSafeEqual(ha, hb) && a.length === b.length;
}

function hexBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Whether the delivery is signed with `secret` as its sender signs: an HMAC-SHA256 of the raw
 * body (GitHub, Gitea/Forgejo) or the secret itself as a token (GitLab), compared in constant time.
 */
export async function signedWith(d: DeliveryHeaders, body: Uint8Array, secret: string): Promise<boolean> {
  if (d.proof === null) return false;
  if (d.sender === "gitlab") return sameBytes(enc.encode(d.proof), enc.encode(secret));
  const given = hexBytes(d.proof);
  if (!given) return false;
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body as BufferSource));
  return sameBytes(given, mac);
}

/** The fields of a push every sender's payload has (GitHub, Gitea/Forgejo and GitLab share them). */
const pushPayload = z.object({
  ref: z.string().max(300),
  after: z.string().max(64),
  /** GitHub, Gitea, Forgejo. */
  sender: z
    .object({ login: z.string().max(100).optional(), username: z.string().max(100).optional() })
    .passthrough()
    .optional(),
  pusher: z
    .object({ name: z.string().max(100).optional(), login: z.string().max(100).optional(), username: z.string().max(100).optional() })
    .passthrough()
    .optional(),
  /** GitLab. */
  user_username: z.string().max(100).optional(),
  user_name: z.string().max(100).optional(),
});

/** A push as the hook acts on it: the branch (null for a tag), the pushed commit (null: the branch was deleted), who pushed. */
export interface Push {
  branch: string | null;
  sha: string | null;
  by: string;
}

/** Names in history: letters, digits and `._-@` only, at most 64 characters. */
const tidy = (s: string) => s.replace(/[^\w.@-]/g, "").slice(0, 64) || "unknown";

/** The push a (verified) body describes, or why it cannot be read. */
export function readPush(body: Uint8Array): { ok: true; push: Push } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return { ok: false, reason: "the body is not JSON (set the hook's content type to application/json)" };
  }
  const p = pushPayload.safeParse(json);
  if (!p.success) return { ok: false, reason: "the body is not a push event's payload (no ref or after)" };
  const { ref, after } = p.data;
  const by =
    p.data.sender?.login ??
    p.data.sender?.username ??
    p.data.user_username ??
    p.data.pusher?.login ??
    p.data.pusher?.username ??
    p.data.pusher?.name ??
    p.data.user_name ??
    "unknown";
  const sha = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(after) && !/^0+$/.test(after) ? after : null;
  return { ok: true, push: { branch: ref.startsWith("refs/heads/") ? ref.slice(11) : null, sha, by: tidy(by) } };
}
