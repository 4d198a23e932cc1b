import { DurableObject } from "cloudflare:workers";
import { SignJWT, type CryptoKey } from "jose";
import {
  CLOSE_INCOMPATIBLE,
  CLOSE_REVOKED,
  OP_AUDIENCE,
  OP_ISSUER,
  OP_MAX_AGE_SECONDS,
  OP_TOKEN_TYPE,
  parseFrame,
  PING,
  PONG,
  protocolMismatch,
  relayFrame,
  type HelloFrame,
  type RelayFrame,
} from "../../protocol/frames.js";
import { ops, type OpName } from "../../protocol/ops.js";
import type { Env, OpSigningJwk } from "../env.js";
import { hostRegistry } from "../registry/client.js";
import { importOpSigningKey } from "../registry/op-key.js";
import type { HostStatus, Outcome } from "./outcome.js";
import { ReadCache } from "./read-cache.js";

/** Extra wait past an op's own timeout, for the relay to report its own timeout first. */
export const REPLY_MARGIN_MS = 5_000;
/** A relay that has not sent a heartbeat for this long is treated as gone. */
export const STALE_AFTER_MS = 45_000;

interface RelayAttachment {
  conn: string;
  host: string;
  connectedAt: number;
  hello: HelloFrame | null;
}

interface Pending {
  op: OpName;
  conn: string;
  resolve: (o: Outcome<OpName>) => void;
  timer: ReturnType<typeof setTimeout>;
  onChunk?: (stream: "stdout" | "stderr", data: string) => void | Promise<void>;
}

/**
 * One per Dokku host. Holds the relay's WebSocket (hibernation API: an idle host costs nothing),
 * signs each op for the relay, and waits for the one reply that answers it by op id.
 */
export class HostHub extends DurableObject<Env> {
  private readonly pending = new Map<string, Pending>();
  private readonly cache = new ReadCache();
  private signingKey: CryptoKey | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The relay's heartbeat is answered by the runtime without waking this object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Relay upgrades only: the Worker has already checked the relay's token for this host. */
  override async fetch(request: Request): Promise<Response> {
    const host = request.headers.get("x-docklight-host");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !host) {
      return new Response("expected a relay WebSocket upgrade", { status: 426 });
    }
    for (const old of this.ctx.getWebSockets("relay")) {
      // Newest wins: the older relay is told why, and stops.
      try {
        old.send(JSON.stringify({ type: "replaced", reason: "another relay connected with the same host id" }));
        old.close(4000, "replaced by a newer relay");
      } catch {
        // already closing
      }
      this.failPendingOn(this.attachment(old)?.conn);
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, ["relay"]);
    const att: RelayAttachment = { conn: crypto.randomUUID(), host, connectedAt: Date.now(), hello: null };
    server.serializeAttachment(att);
    await this.ctx.storage.put("host", host);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Run one op on this host's relay and wait for how it ended. */
  async run<N extends OpName>(
    op: N,
    args: Record<string, unknown>,
    subject: string,
    onChunk?: (stream: "stdout" | "stderr", data: string) => void | Promise<void>,
    /** Chosen by the caller when it may need to cancel the op (a viewer leaving a stream). */
    opId?: string,
  ): Promise<Outcome<N>> {
    const cached = this.cache.get(op, args);
    if (cached !== undefined) return { kind: "ok", result: cached } as Outcome<N>;
    const relay = this.liveRelay();
    if (!relay) return { kind: "offline", message: "the host's relay is not connected" };
    const att = this.attachment(relay)!;
    const id = opId ?? crypto.randomUUID();
    const jws = await this.sign(id, att.host, op, args, subject);
    const spec = ops[op];
    const outcome = new Promise<Outcome<N>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.send(relay, { type: "cancel", id });
        resolve(
          spec.mutates
            ? { kind: "unknown", message: `no reply from the host within ${Math.round((spec.timeoutMs + REPLY_MARGIN_MS) / 1000)} s: the change may or may not have happened; see history` }
            : { kind: "timeout", message: `the host did not answer within ${Math.round((spec.timeoutMs + REPLY_MARGIN_MS) / 1000)} s` },
        );
      }, spec.timeoutMs + REPLY_MARGIN_MS);
      this.pending.set(id, { op, conn: att.conn, resolve: resolve as (o: Outcome<OpName>) => void, timer, onChunk });
    });
    if (!this.send(relay, { type: "op", id, jws })) {
      const p = this.pending.get(id);
      if (p) this.settle(id, { kind: "offline", message: "the host's relay is not connected" });
    }
    const ended = await outcome;
    if (ended.kind === "ok") {
      if (spec.mutates) this.cache.invalidate(args);
      else this.cache.set(op, args, ended.result);
    } else if (spec.mutates && ended.kind === "unknown") {
      this.cache.invalidate(args);
    }
    return ended;
  }

  /** Stop an op in flight (the viewer went away). */
  cancel(id: string): void {
    const relay = this.liveRelay();
    if (relay) this.send(relay, { type: "cancel", id });
  }

  /** The registry revoked this host's relay (token rotated, host removed): it stops for good, told why; `forget` drops this hub's memory. */
  async revoke(reason: string, forget: boolean): Promise<void> {
    for (const ws of this.ctx.getWebSockets("relay")) {
      try { ws.close(CLOSE_REVOKED, reason); } catch { /* already closing */ }
      this.failPendingOn(this.attachment(ws)?.conn);
    }
    if (forget) await this.ctx.storage.deleteAll();
  }

  /** Key rotation: send the relay `frame` (new public key signed by the old), then sign with `next`; true when a relay got it. */
  async opKeyRotated(frame: string, next: OpSigningJwk): Promise<boolean> {
    const key = await importOpSigningKey(next);
    const relay = this.liveRelay();
    const sent = relay !== null && this.send(relay, JSON.parse(frame) as object);
    this.signingKey = key;
    return sent;
  }

  async status(): Promise<HostStatus> {
    const relay = this.liveRelay();
    const att = relay ? this.attachment(relay) : null;
    const lastSeen = (await this.ctx.storage.get<number>("lastSeen")) ?? null;
    const host = att?.host ?? (await this.ctx.storage.get<string>("host")) ?? "";
    const hello = att?.hello ?? (await this.ctx.storage.get<HelloFrame>("lastHello")) ?? null;
    return {
      host,
      connected: relay !== null,
      connectedAt: att?.connectedAt ?? null,
      lastHeartbeat: relay ? this.lastHeartbeat(relay) : null,
      lastSeen: relay ? Date.now() : lastSeen,
      relayVersion: hello?.relayVersion ?? null,
      dokkuVersion: hello?.dokkuVersion ?? null,
      simulated: hello?.simulated ?? false,
      readOnly: hello?.policy.readOnly ?? false,
    };
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string") return ws.close(1003, "text frames only");
    const parsed = parseFrame(relayFrame, message);
    if (!parsed.ok) {
      console.warn(JSON.stringify({ msg: "unreadable frame from relay", reason: parsed.reason }));
      return;
    }
    const frame: RelayFrame = parsed.frame;
    switch (frame.type) {
      case "hello": {
        const att = this.attachment(ws);
        if (!att) return;
        if (frame.host !== att.host) return ws.close(4003, "hello names another host");
        const mismatch = protocolMismatch(frame.protocolVersion);
        if (mismatch) {
          console.warn(JSON.stringify({ msg: "relay refused: incompatible protocol", host: att.host, relayVersion: frame.relayVersion, reason: mismatch }));
          return ws.close(CLOSE_INCOMPATIBLE, mismatch);
        }
        ws.serializeAttachment({ ...att, hello: frame } satisfies RelayAttachment);
        await this.ctx.storage.put("lastHello", frame);
        return;
      }
      case "chunk": {
        const p = this.pending.get(frame.id);
        if (!p?.onChunk) return;
        // The callback may be an RPC stub into the Worker streaming to a browser that left.
        void Promise.resolve()
          .then(() => p.onChunk?.(frame.stream, frame.data))
          .catch(() => this.cancel(frame.id));
        return;
      }
      case "notice":
        console.warn(JSON.stringify({ msg: "relay notice", notice: frame.message }));
        return;
      case "result": {
        const p = this.pending.get(frame.id);
        if (!p) return; // late reply after a timeout: history has it
        if (!frame.ok) return this.settle(frame.id, { kind: "error", code: frame.error.code, message: frame.error.message });
        const result = ops[p.op].result.safeParse(frame.result);
        if (!result.success) return this.settle(frame.id, { kind: "error", code: "internal", message: "the relay's reply did not match the protocol" });
        return this.settle(frame.id, { kind: "ok", result: result.data } as Outcome<OpName>);
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const att = this.attachment(ws);
    this.failPendingOn(att?.conn);
    await this.ctx.storage.put("lastSeen", Date.now());
    console.log(JSON.stringify({ msg: "relay disconnected", host: att?.host, code, reason }));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.failPendingOn(this.attachment(ws)?.conn);
  }

  private failPendingOn(conn: string | undefined): void {
    if (!conn) return;
    for (const [id, p] of this.pending) {
      if (p.conn !== conn) continue;
      this.settle(
        id,
        ops[p.op].mutates
          ? { kind: "unknown", message: "the connection to the host dropped before it answered: the change may or may not have happened; see history" }
          : { kind: "offline", message: "the connection to the host dropped before it answered" },
      );
    }
  }

  private settle(id: string, outcome: Outcome<OpName>): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(outcome);
  }

  private attachment(ws: WebSocket): RelayAttachment | null {
    return (ws.deserializeAttachment() as RelayAttachment | null) ?? null;
  }

  private lastHeartbeat(ws: WebSocket): number | null {
    try {
      return this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null;
    } catch {
      return null;
    }
  }

  /** The connected relay, unless its heartbeat has gone quiet (then it is closed as stale). */
  private liveRelay(): WebSocket | null {
    const sockets = this.ctx.getWebSockets("relay").filter((ws) => ws.readyState === WebSocket.OPEN);
    const ws = sockets.at(-1);
    if (!ws) return null;
    const att = this.attachment(ws);
    const last = Math.max(att?.connectedAt ?? 0, this.lastHeartbeat(ws) ?? 0);
    if (Date.now() - last > STALE_AFTER_MS) {
      ws.close(4008, "heartbeat missed");
      this.failPendingOn(att?.conn);
      return null;
    }
    return ws;
  }

  private send(ws: WebSocket, frame: object): boolean {
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private async sign(id: string, host: string, op: OpName, args: Record<string, unknown>, subject: string): Promise<string> {
    // The key lives in the host registry; a rotation hands this hub the new one (opKeyRotated).
    this.signingKey ??= await importOpSigningKey(await hostRegistry(this.env).opSigningKey());
    return new SignJWT({ host, op, args })
      .setProtectedHeader({ alg: "EdDSA", typ: OP_TOKEN_TYPE })
      .setJti(id)
      .setIssuer(OP_ISSUER)
      .setAudience(OP_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${OP_MAX_AGE_SECONDS}s`)
      .sign(this.signingKey);
  }
}
