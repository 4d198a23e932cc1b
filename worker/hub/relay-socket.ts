import { CLOSE_INCOMPATIBLE, CLOSE_REPLACED, protocolMismatch, type HelloFrame } from "../../protocol/frames.js";
import type { HubStatus } from "./outcome.js";
import { log } from "../log.js";

/** A relay that has sent nothing (no frame, no heartbeat) for this long is treated as gone (ms). */
export const STALE_AFTER_MS = 45_000;
/** A socket that has not said a valid hello this long after it opened is closed (ms); it is never sent an op. */
export const HELLO_WITHIN_MS = 15_000;

/**
 * What a relay's hibernatable WebSocket carries with it (at most 2 KiB, so the hello is kept
 * without its list of changes): `conn` names this connection, `host` the host id its token is for.
 */
export interface RelayAttachment {
  conn: string;
  host: string;
  connectedAt: number;
  hello: HelloFrame | null;
}

/**
 * Each socket's attachment as this object last wrote or read it: only `setAttachment` changes one,
 * so it is deserialized once per socket and object, not on each of an op's several looks at it.
 */
const attachments = new WeakMap<WebSocket, RelayAttachment | null>();

/** The attachment of a relay socket, or null for one that has none (closing). */
export function attachmentOf(ws: WebSocket): RelayAttachment | null {
  if (attachments.has(ws)) return attachments.get(ws)!;
  const att = (ws.deserializeAttachment() as RelayAttachment | null) ?? null;
  attachments.set(ws, att);
  return att;
}

/** Keep `att` with relay socket `ws` (it outlives this object's hibernation). The one way an attachment changes. */
export function setAttachment(ws: WebSocket, att: RelayAttachment): void {
  ws.serializeAttachment(att);
  attachments.set(ws, att);
}

/** When the runtime last answered this socket's heartbeat (ms since the epoch), or null. */
export function lastHeartbeat(ctx: DurableObjectState, ws: WebSocket): number | null {
  try {
    return ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null;
  } catch {
    return null;
  }
}

/** Send one frame as JSON; false when the socket can no longer take it. */
export function sendFrame(ws: WebSocket, frame: object): boolean {
  try {
    ws.send(JSON.stringify(frame));
    return true;
  } catch {
    return false;
  }
}

/**
 * The connected relay of a HostHub: the newest socket whose hello was accepted (a socket that has
 * not said one is never sent an op, and is closed once HELLO_WITHIN_MS passed), unless it has been
 * quiet for STALE_AFTER_MS: then it is closed (4008) and `onStale` is told its connection id. Any
 * frame proves a relay alive (`lastFrameAt`, by connection), not only its heartbeat: a burst may
 * delay its pings.
 */
export function liveRelay(ctx: DurableObjectState, lastFrameAt: ReadonlyMap<string, number>, onStale: (conn: string | undefined) => void): WebSocket | null {
  const open = ctx.getWebSockets("relay").filter((s) => s.readyState === WebSocket.OPEN);
  for (const s of open) {
    const a = attachmentOf(s);
    if (a && a.hello === null && Date.now() - a.connectedAt > HELLO_WITHIN_MS) s.close(4008, "no hello");
  }
  const ws = open.filter((s) => attachmentOf(s)?.hello).at(-1);
  if (!ws) return null;
  const att = attachmentOf(ws);
  const last = Math.max(att?.connectedAt ?? 0, lastHeartbeat(ctx, ws) ?? 0, (att && lastFrameAt.get(att.conn)) || 0);
  if (Date.now() - last > STALE_AFTER_MS) {
    ws.close(4008, "heartbeat missed");
    onStale(att?.conn);
    return null;
  }
  return ws;
}

/**
 * Take a relay's WebSocket upgrade for `host` (hibernatable, tagged "relay") and answer with the
 * client end. Opening a socket changes nothing else: the relay serving the host keeps serving it
 * until this one says a fully valid hello (see replaceIncumbents).
 */
export function acceptRelay(ctx: DurableObjectState, host: string): WebSocket {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, ["relay"]);
  setAttachment(server, { conn: crypto.randomUUID(), host, connectedAt: Date.now(), hello: null });
  return client;
}

/**
 * A relay said a fully valid hello on `newest`: every other relay socket whose hello was accepted
 * is told it was replaced and closed (CLOSE_REPLACED); `onReplaced` gets each one's connection id.
 * Returns how many were replaced. Sockets still waiting to say hello are left to say it.
 */
export function replaceIncumbents(ctx: DurableObjectState, newest: WebSocket, onReplaced: (conn: string) => void): number {
  let replaced = 0;
  for (const old of ctx.getWebSockets("relay")) {
    const att = attachmentOf(old);
    if (old === newest || !att?.hello) continue;
    try {
      old.send(JSON.stringify({ type: "replaced", reason: "another relay for this host id connected and said a valid hello" }));
      old.close(CLOSE_REPLACED, "replaced by a newer relay");
    } catch {
      // already closing
    }
    onReplaced(att.conn);
    replaced++;
  }
  return replaced;
}

/** Close every relay socket of this hub with `code` and `reason`; returns their connection ids (undefined: one without an attachment). */
export function closeRelays(ctx: DurableObjectState, code: number, reason: string): Array<string | undefined> {
  return ctx.getWebSockets("relay").map((ws) => {
    try {
      ws.close(code, reason);
    } catch {
      // already closing
    }
    return attachmentOf(ws)?.conn;
  });
}

/**
 * Why a relay's hello is refused, as the close code and reason to send, or null when it is taken:
 * it names another host than its token's (4003), or speaks a protocol this edge does not
 * (CLOSE_INCOMPATIBLE, logged).
 */
export function helloRefusal(att: RelayAttachment, hello: HelloFrame): { code: number; reason: string } | null {
  if (hello.host !== att.host) return { code: 4003, reason: "hello names another host" };
  const mismatch = protocolMismatch(hello.protocolVersion);
  if (!mismatch) return null;
  log.warn("relay refused: incompatible protocol", { host: att.host, relayVersion: hello.relayVersion, reason: mismatch });
  return { code: CLOSE_INCOMPATIBLE, reason: mismatch };
}

/**
 * A host's status as pages show it: from the connected relay (`relay`, or null) and its hello,
 * else from what the hub stored when it last saw one (host id, last hello, when it left).
 */
export async function statusOf(ctx: DurableObjectState, relay: WebSocket | null): Promise<HubStatus> {
  const att = relay ? attachmentOf(relay) : null;
  const lastSeen = (await ctx.storage.get<number>("lastSeen")) ?? null;
  const host = att?.host ?? (await ctx.storage.get<string>("host")) ?? "";
  const hello = att?.hello ?? (await ctx.storage.get<HelloFrame>("lastHello")) ?? null;
  return {
    host,
    connected: relay !== null,
    connectedAt: att?.connectedAt ?? null,
    lastHeartbeat: relay ? lastHeartbeat(ctx, relay) : null,
    lastSeen: relay ? Date.now() : lastSeen,
    relayVersion: hello?.relayVersion ?? null,
    dokkuVersion: hello?.dokkuVersion ?? null,
    simulated: hello?.simulated ?? false,
    readOnly: hello?.policy.readOnly ?? false,
  };
}
