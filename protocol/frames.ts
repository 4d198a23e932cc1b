import { z } from "zod";
import { hostId } from "./names.js";
import { hostGrants, role } from "./principal.js";
import { bytesFrame, creditFrame } from "./byte-frames.js";

/**
 * Every frame on the relay's WebSocket, in both directions. Both halves parse what they receive
 * with these schemas and drop (and report) anything that does not match.
 */

/** Largest frame either side accepts, in bytes of JSON text. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The version of this contract (frames and ops). Bumped on any change an older peer cannot read;
 * the edge serves only relays that speak the same one, and tells the other side to upgrade.
 */
export const PROTOCOL_VERSION = 3;
// 3: each op's claims carry the user's role and grants on the host (protocol/policy.ts).
// 2: history filters carry `show` (changes or all), export cursors are {startedAt, id}, rows carry a title.
// 1: the first versioned contract.
/** WebSocket close code: the edge cannot serve this relay's protocol; the reason says which side to upgrade. */
export const CLOSE_INCOMPATIBLE = 4010;

/**
 * WebSocket close code: the edge revoked this relay for good — its host's token was rotated or the
 * host removed (the reason says which). Like a refused token, restarting cannot help.
 */
export const CLOSE_REVOKED = 4011;

/**
 * WebSocket close code: another relay for the same host said a fully valid hello and took over
 * (a `replaced` frame says so first). The replaced relay takes no more ops, runs the changes it
 * started to their end (its history records them), then exits EX_REPLACED (relay/cli/serve.ts).
 */
export const CLOSE_REPLACED = 4000;

/** Why a relay speaking `relay` cannot be served by an edge speaking `edge`, or null when it can (≤ 123 bytes: a close reason). */
export function protocolMismatch(relay: number, edge: number = PROTOCOL_VERSION): string | null {
  if (relay === edge) return null;
  return relay < edge
    ? `relay protocol ${relay} is older than the edge's ${edge}: upgrade the relay (re-run its install command)`
    : `relay protocol ${relay} is newer than the edge's ${edge}: upgrade the edge (npm run deploy)`;
}

/** The relay's liveness probe: answered by the edge without waking the HostHub. */
export const PING = "ping";
export const PONG = "pong";

export const errorCode = z.enum([
  "bad_request", // arguments did not parse
  "not_found", // Dokku exit 20: the app does not exist
  "dokku_error", // Dokku failed; the message holds its " !     " lines
  "timeout", // the command ran past its time and was killed
  "cancelled", // stopped on request (Cancel on a change; a log tail whose viewers left)
  "busy", // another change to the same app is running; the message names it
  "denied", // the relay's local policy forbids this op
  "rejected", // the op's signature, host, age or id did not verify
  "unavailable", // the host lacks what the op needs (e.g. a plugin)
  "too_large", // a read's answer is larger than the relay takes in or a frame carries (a change's never is)
  "internal", // a bug in the relay
]);
export type ErrorCode = z.infer<typeof errorCode>;

export const opError = z.object({
  code: errorCode,
  message: z.string().max(8192),
  /** With "busy": the op id of the change that holds the app, so the edge can link to its page. */
  opId: z.string().uuid().optional(),
});
export type OpError = z.infer<typeof opError>;

// edge -> relay
export const opFrame = z.object({ type: z.literal("op"), id: z.string().uuid(), jws: z.string().max(MAX_FRAME_BYTES) });
/** Stop an op: a change on an explicit Cancel, a read (log tail) when its last viewer left. */
export const cancelFrame = z.object({ type: z.literal("cancel"), id: z.string().uuid() });
export const replacedFrame = z.object({ type: z.literal("replaced"), reason: z.string() });
/**
 * A viewer wants a running change's output: the relay answers with the output it kept, as chunks
 * carrying this `tag`, then `attached`; from then on it sends the change's live chunks (untagged)
 * until as many `detach` frames have come as `attach` frames.
 */
export const attachFrame = z.object({ type: z.literal("attach"), id: z.string().uuid(), tag: z.string().uuid() });
export const detachFrame = z.object({ type: z.literal("detach"), id: z.string().uuid() });
/**
 * The edge's op-signing key changed: `jws` (typ OP_KEY_TOKEN_TYPE) carries the new public key and is
 * signed by the old one, which the relay trusts; the relay verifies it and pins the new key.
 */
export const keyFrame = z.object({ type: z.literal("key"), jws: z.string().max(4096) });
// bytes and credit (protocol/byte-frames.ts) are sent only for the ops that stream a dump, which a peer
// without them does not have in its catalog, so they need no new protocol version.
export const edgeFrame = z.discriminatedUnion("type", [opFrame, cancelFrame, replacedFrame, attachFrame, detachFrame, keyFrame, bytesFrame, creditFrame]);
export type EdgeFrame = z.infer<typeof edgeFrame>;

// relay -> edge
export const helloFrame = z.object({
  type: z.literal("hello"),
  host: hostId,
  relayVersion: z.string().max(64),
  /** PROTOCOL_VERSION of the relay's build; relays before protocol 1 did not send it. */
  protocolVersion: z.number().int().nonnegative().default(0),
  dokkuVersion: z.string().max(128).nullable(),
  simulated: z.boolean(),
  policy: z.object({ readOnly: z.boolean(), deny: z.array(z.string().max(64)).max(100) }),
  /**
   * Every change this relay knows the end of is still to come for: the ones it runs, and the ones
   * whose result it sends right after this hello. A change the edge waits for that is not here was
   * lost with a relay that died (history marks it interrupted).
   */
  changes: z.array(z.string().uuid()).max(10_000).optional(),
});
export const chunkFrame = z.object({
  type: z.literal("chunk"),
  id: z.string().uuid(),
  stream: z.enum(["stdout", "stderr"]),
  data: z.string().max(256 * 1024),
  /** A change's chunks: the offset of `data` in the change's whole output (viewers skip what they have). */
  seq: z.number().int().min(0).optional(),
  /** Set on the output replayed for one `attach`, so only that viewer takes it. */
  tag: z.string().uuid().optional(),
  /** A live read's chunks: how many lines the relay left out just before `data` (it keeps only the newest of a burst). */
  skipped: z.number().int().min(0).optional(),
});
/** Most characters of a change's human title (a longer one is cut, ending in "…"). */
export const CHANGE_TITLE_MAX = 200;
/** A running change, as the relay lists it. */
export const jobInfo = z.object({
  opId: z.string().uuid(),
  op: z.string().max(64),
  /** The app it changes, or null for a host-wide change. */
  app: z.string().max(255).nullable(),
  /** The session subject that started it. */
  requestedBy: z.string().max(128),
  /** ms since epoch */
  startedAt: z.number().int(),
  /** Its human title (protocol/ops.ts changeTitle, from its arguments); relays before it did not send one. */
  title: z.string().max(CHANGE_TITLE_MAX).optional(),
});
export type JobInfo = z.infer<typeof jobInfo>;
/**
 * The one answer to an op. A change that started carries its `job` again (as its "started" frame
 * announced it): the edge cannot count on handling the two frames in the order they were sent (a
 * fast failure's result has reached a HostHub before its "started"), and with the job the result
 * alone says the change started and ran. Relays before it did not send one.
 */
export const resultFrame = z.discriminatedUnion("ok", [
  z.object({ type: z.literal("result"), id: z.string().uuid(), ok: z.literal(true), result: z.unknown(), job: jobInfo.optional() }),
  z.object({ type: z.literal("result"), id: z.string().uuid(), ok: z.literal(false), error: opError, job: jobInfo.optional() }),
]);
/** A change passed every check and runs now, whoever watches; its `result` comes when it ends. */
export const startedFrame = z.object({ type: z.literal("started"), id: z.string().uuid(), job: jobInfo });
/**
 * Answers `attach`: the replay for `tag` is complete up to `end` (`dropped` characters at the start
 * are no longer kept), or the change is not running (`running: false`: read its history).
 */
export const attachedFrame = z.object({
  type: z.literal("attached"),
  id: z.string().uuid(),
  tag: z.string().uuid(),
  running: z.boolean(),
  end: z.number().int().min(0),
  dropped: z.number().int().min(0),
});
/** The relay could not read a frame it was sent; the edge logs it. */
export const noticeFrame = z.object({ type: z.literal("notice"), message: z.string().max(1024) });
/** By `type` (a result then by `ok`): a union tried option by option cost the edge ~10× the CPU for each frame. */
export const relayFrame = z.discriminatedUnion("type", [
  helloFrame,
  resultFrame,
  chunkFrame,
  noticeFrame,
  startedFrame,
  attachedFrame,
  bytesFrame,
  creditFrame,
]);
export type RelayFrame = z.infer<typeof relayFrame>;
export type HelloFrame = z.infer<typeof helloFrame>;
export type ResultFrame = z.infer<typeof resultFrame>;

/** Claims of the JWS that carries one op from edge to relay. */
export const OP_ISSUER = "docklight-edge";
export const OP_AUDIENCE = "docklight-relay";
export const OP_TOKEN_TYPE = "docklight-op+jwt";
export const OP_MAX_AGE_SECONDS = 60;

/** The JWS type of a key frame's statement, and how long one is valid (it is sent at once). */
export const OP_KEY_TOKEN_TYPE = "docklight-op-key+jwt";
export const OP_KEY_MAX_AGE_SECONDS = 300;

/** Claims of a key frame's statement: `x` is the new Ed25519 public key (JWK `x`, base64url). */
export const opKeyClaims = z.object({
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type OpKeyClaims = z.infer<typeof opKeyClaims>;

/**
 * Claims of one op's JWS. `sub` is the user who asked (history records it), `role` their role and
 * `grants` what they hold on this host: enough for the relay to run protocol/policy.ts `decide`
 * again and refuse an op the edge should not have signed.
 */
export const opClaims = z.object({
  jti: z.string().uuid(),
  host: hostId,
  op: z.string().max(64),
  args: z.record(z.string(), z.unknown()),
  sub: z.string().max(128),
  role,
  grants: hostGrants,
  iat: z.number().int(),
  exp: z.number().int(),
});
export type OpClaims = z.infer<typeof opClaims>;

/** Parse a frame's JSON text, refusing anything oversize or malformed. */
export function parseFrame<T>(schema: z.ZodType<T>, text: string): { ok: true; frame: T } | { ok: false; reason: string } {
  if (text.length > MAX_FRAME_BYTES) return { ok: false, reason: `frame of ${text.length} bytes exceeds ${MAX_FRAME_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "frame is not JSON" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `frame does not match the protocol: ${z.prettifyError(parsed.error)}` };
  return { ok: true, frame: parsed.data };
}
