import WebSocket from "ws";
import {
  CLOSE_INCOMPATIBLE,
  CLOSE_REPLACED,
  CLOSE_REVOKED,
  edgeFrame,
  MAX_FRAME_BYTES,
  parseFrame,
  PING,
  PONG,
  type EdgeFrame,
  type RelayFrame,
} from "../../protocol/frames.js";
import type { Log } from "../cli/log.js";

/** Heartbeats in a row that may go unanswered before the relay gives up on a connection. */
export const MISSED_HEARTBEATS = 3;

export interface LinkOptions {
  /** ws(s)://edge/relay/connect?host=… */
  url: string;
  token: string;
  log: Log;
  hello: () => RelayFrame;
  onFrame: (frame: EdgeFrame) => void;
  /** The edge told this relay a newer one took over (a `replaced` frame, or CLOSE_REPLACED alone): stop for good. */
  onReplaced: (reason: string) => void;
  /**
   * The edge refused this relay for good — its token (HTTP 401 on the upgrade), its protocol
   * version (close code CLOSE_INCOMPATIBLE), or it revoked the relay (CLOSE_REVOKED: the token was
   * rotated or the host removed). Retrying cannot help: the link stops.
   */
  onRefused: (reason: string) => void;
  /** Called once each connection is open and the hello sent (frames sent now follow the hello). */
  onConnect?: () => void;
  /** The link dropped and will be dialled again (not called once stopped, refused or replaced). */
  onDisconnect?: () => void;
  heartbeatMs?: number;
  maxBackoffMs?: number;
}

/**
 * The relay's one outbound WebSocket to the edge. Reconnects with full-jitter exponential backoff
 * (capped), sends a heartbeat the edge answers without waking its Durable Object, and drops the
 * connection when the heartbeat goes unanswered.
 */
export class Link {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Heartbeats sent since the edge last showed it was alive (any frame or a pong). */
  private unanswered = 0;
  connectedAt: number | null = null;

  constructor(private readonly opts: LinkOptions) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    this.ws?.close(1000, "relay stopping");
  }

  /** Bytes sent but not yet written to the network (0 while down). */
  get backlog(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Send a frame if connected; false if the link is down (the frame is lost). */
  send(frame: RelayFrame): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    const { log } = this.opts;
    const ws = new WebSocket(this.opts.url, {
      headers: { authorization: `Bearer ${this.opts.token}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 15_000,
      // No permessage-deflate: with it the relay's RSS grew ~0.75 MiB per 1,000 ops (zlib inflating
      // every op the edge sends) where without it it stays flat, and it bought no latency
      // (bench:relay-artifact, bench:link-breakdown). The largest frames are bounded already: log
      // bursts are coalesced to the newest 2,000 lines, outputs and history replies are capped.
      perMessageDeflate: false,
    });
    this.ws = ws;
    let opened = false;

    ws.on("unexpected-response", (_req, res) => {
      ws.terminate();
      if (res.statusCode === 401) {
        this.stopped = true;
        this.opts.onRefused(
          "the edge refused this relay's token (HTTP 401): the token is wrong or was replaced; make a new install command on the edge's Hosts page and run it here",
        );
        return;
      }
      log.error({ status: res.statusCode }, "the edge refused the connection");
    });
    ws.on("open", () => {
      opened = true;
      this.connectedAt = Date.now();
      log.info({ url: this.opts.url.replace(/\?.*/, "") }, "connected to the edge");
      this.send(this.opts.hello());
      this.unanswered = 0;
      this.heartbeat = setInterval(() => this.beat(), this.opts.heartbeatMs ?? 15_000);
      this.opts.onConnect?.();
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      // Any frame proves the link alive, not only a pong: a busy edge may answer ops before pings.
      this.unanswered = 0;
      const text = data.toString();
      if (text === PONG) {
        this.attempt = 0;
        return;
      }
      const parsed = parseFrame(edgeFrame, text);
      if (!parsed.ok) {
        log.warn({ reason: parsed.reason }, "unreadable frame from the edge");
        this.send({ type: "notice", message: parsed.reason.slice(0, 1000) });
        return;
      }
      if (parsed.frame.type === "replaced") {
        this.stopped = true;
        this.opts.onReplaced(parsed.frame.reason);
        ws.close(1000, "replaced");
        return;
      }
      this.opts.onFrame(parsed.frame);
    });
    ws.on("error", (err) => {
      if (!this.stopped) log.warn({ err: err.message }, "link error");
    });
    ws.on("close", (code, reason) => {
      clearInterval(this.heartbeat);
      this.connectedAt = null;
      if (code === CLOSE_INCOMPATIBLE) {
        this.stopped = true;
        this.opts.onRefused(`the edge refused this relay's protocol: ${reason.toString()}`);
      } else if (code === CLOSE_REVOKED) {
        this.stopped = true;
        this.opts.onRefused(`the edge revoked this relay: ${reason.toString()}`);
      } else if (code === CLOSE_REPLACED && !this.stopped) {
        // the close came without its `replaced` frame: reconnecting would take the host back in turn
        this.stopped = true;
        this.opts.onReplaced(reason.toString() || "replaced by a newer relay");
      } else if (opened) log.warn({ code, reason: reason.toString() }, "disconnected from the edge");
      if (this.stopped) return;
      this.opts.onDisconnect?.();
      this.scheduleReconnect();
    });
  }

  /**
   * One heartbeat. The link is dropped only after MISSED_HEARTBEATS in a row went unanswered with
   * no other frame from the edge meanwhile: a burst of work that delays one pong is not a fault.
   */
  private beat(): void {
    if (this.unanswered >= MISSED_HEARTBEATS) {
      this.opts.log.warn({ missed: this.unanswered }, "heartbeats unanswered; reconnecting");
      this.ws?.terminate();
      return;
    }
    this.unanswered++;
    this.ws?.send(PING);
  }

  private scheduleReconnect(): void {
    const cap = this.opts.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(cap, 500 * 2 ** this.attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt++;
    this.opts.log.info({ inMs: delay, attempt: this.attempt }, "reconnecting");
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}
