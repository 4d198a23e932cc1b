import { DurableObject } from "cloudflare:workers";
import { CLOSE_REVOKED, parseFrame, PING, PONG, relayFrame } from "../../protocol/frames.js";
import { ops, type OpArgs, type OpName } from "../../protocol/ops.js";
import type { Env, OpSigningJwk } from "../env.js";
import { importOpSigningKey } from "../registry/op-key.js";
import { historyDownload, type Download } from "./download.js";
import { HubDumps } from "./hub-dumps.js";
import type { HubStatus, Outcome } from "./outcome.js";
import { SERVE_STALE_MS } from "../../protocol/ops/spec.js";
import { HubHooks } from "../hooks/hub-hooks.js";
import { HubAlerts } from "../alerts/hub-alerts.js";
import type { Alert } from "../alerts/alert-store.js";
import { HubReads } from "./hub-reads.js";
import { ReadCache } from "./read-cache.js";
import { SqlCacheStore } from "./sql-cache-store.js";
import { PendingOps, type StartOutcome } from "./pending-ops.js";
import { acceptRelay, attachmentOf, closeRelays, liveRelay, sendFrame, statusOf } from "./relay-socket.js";
import { OpSender } from "./op-sender.js";
import { onRelayFrame, outcomeFields, type FrameHub } from "./relay-frames.js";
import { rememberEnded, startedChange, type StartedChange } from "./started-changes.js";
import type { Principal } from "../../protocol/principal.js";
import { Tails, type TailPull } from "./tails.js";
import { Viewers, type ViewerCallback } from "./viewers.js";
import { mayCancel, watchChange } from "./change-watch.js";
import { log } from "../log.js";

/**
 * One per Dokku host. Holds the relay's WebSocket (hibernation API: an idle host costs nothing),
 * signs each op for the relay, and waits for the one reply that answers it by op id.
 */
export class HostHub extends DurableObject<Env> {
  private readonly pending = new PendingOps((p, outcome, id) => {
    this.cache.learn(p.op, p.args, outcome);
    // A started change's end is kept beside its start (its API status, the failed-deploy alert),
    // and its viewers are told however it ended (a result, its timeout, a relay that came back without it).
    if (p.started) {
      void rememberEnded(this.ctx.storage, id, outcomeFields(outcome), Date.now());
      this.viewers.end(id, outcome);
    }
  });
  private readonly viewers = new Viewers();
  /** Database dumps to and from browsers (worker/hub/hub-dumps.ts). */
  private readonly dumps: HubDumps;
  /** When each connection last sent any frame (memory only: an object that hibernated was idle). */
  private readonly lastFrameAt = new Map<string, number>();
  private readonly cache: ReadCache;
  /** Reads: the cache, straight from the host, or the last known state offline (worker/hub/hub-reads.ts). */
  private readonly reads: HubReads;
  /** Push to deploy: each app's hook and its deliveries (worker/hooks/). */
  private readonly hubHooks: HubHooks;
  /** Alerts: the Cron Trigger's checks of this host and what they found (worker/alerts/). */
  private readonly alerts: HubAlerts;
  /** Live reads whose viewers pull their output; one nobody pulls any more is stopped. */
  private readonly tails = new Tails((id) => this.cancel(id));
  /** Signs and sends each op, after the policy (worker/hub/op-sender.ts). */
  private readonly sender: OpSender;
  /** What the handling of the relay's frames may reach (worker/hub/relay-frames.ts). */
  private readonly frames: FrameHub;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.cache = new ReadCache(Date.now, SERVE_STALE_MS, new SqlCacheStore(ctx.storage.sql));
    this.sender = new OpSender(ctx, env, this.pending, () => this.liveRelay());
    this.dumps = new HubDumps(
      this.sender,
      (frame) => this.sendToRelay(frame),
      (id) => this.cancel(id),
    );
    this.reads = new HubReads(
      ctx,
      this.cache,
      (op, args, p) => this.sender.send(op, args, p, {}),
      () => this.liveRelay() !== null,
    );
    this.frames = {
      ctx,
      env,
      pending: this.pending,
      viewers: this.viewers,
      dumps: this.dumps.downloads,
      uploads: this.dumps.uploads,
      cache: this.cache,
      cancel: (id) => this.cancel(id),
      detach: (id) => this.sendToRelay({ type: "detach", id }),
    };
    this.hubHooks = new HubHooks(
      ctx.storage.sql,
      env,
      (app, args, p, onEnded) => this.start("git.sync", args, p, onEnded),
      (at) => this.wake(at),
    );
    this.alerts = new HubAlerts(ctx.storage.sql, env, this.reads.forAlerts());
    // The relay's heartbeat is answered by the runtime without waking this object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Relay upgrades only: the Worker has already checked the relay's token for this host. */
  override async fetch(request: Request): Promise<Response> {
    const host = request.headers.get("x-docklight-host");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !host) {
      return new Response("expected a relay WebSocket upgrade", { status: 426 });
    }
    const client = acceptRelay(this.ctx, host);
    await this.ctx.storage.put("host", host);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Run one op on this host's relay and wait for how it ended. A change runs as a durable job on
   * the host: if this caller goes away, the change still runs to its end (see `start`).
   */
  async run<N extends OpName>(
    op: N,
    args: Record<string, unknown>,
    principal: Principal,
    onChunk?: (stream: "stdout" | "stderr", data: string) => void | Promise<void>,
    /** Chosen by the caller when it may need to cancel the op (a viewer leaving a stream). */
    opId?: string,
  ): Promise<Outcome<N>> {
    // Before the cache too: a read someone else was allowed is not served to one who is not.
    const refused = this.sender.refusal(principal, op, args);
    if (refused) return refused;
    if (onChunk || opId || ops[op].mutates) return this.sender.send(op, args, principal, { ...(onChunk ? { onChunk } : {}), ...(opId ? { opId } : {}) });
    return this.reads.answer(op, args, principal);
  }

  /**
   * Start a change and answer as soon as the relay has accepted it (or refused it: bad input, the
   * app busy with another change, the host offline). The change then runs to its end on the host
   * whoever watches; `watch` shows its output, `cancel` stops it.
   */
  start(op: OpName, args: Record<string, unknown>, principal: Principal, onEnded?: (ok: boolean, message: string) => void): Promise<StartOutcome> {
    return this.sender.start(op, args, principal, onEnded);
  }

  /**
   * Watch a running change: `deliver` gets its output from the first line the relay still keeps,
   * then live, then how it ended (or "gone" when it is not running). Resolves when the viewer is
   * done. Any number of viewers may watch the same change; a viewer leaving never stops it.
   */
  watch(opId: string, principal: Principal, deliver: ViewerCallback): Promise<void> {
    return watchChange(this.viewers, this.pending, this.liveRelay(), opId, principal, deliver);
  }

  /** The history export as a byte stream, page by page as it is read (worker/hub/download.ts). */
  exportHistory(args: OpArgs<"history.export">, principal: Principal): Promise<Download> {
    return historyDownload((a) => this.run("history.export", a, principal), args);
  }

  /** A database's dump as a download, no faster than the browser takes it (worker/hub/hub-dumps.ts). */
  exportDump(args: OpArgs<"databases.export">, principal: Principal): Promise<Download> {
    return this.dumps.exportDump(args, principal);
  }

  /** Import `body` (a dump) into a database; "started" once all of it reached the host (worker/hub/hub-dumps.ts). */
  importDump(args: OpArgs<"databases.import">, body: ReadableStream<Uint8Array>, principal: Principal): Promise<StartOutcome> {
    return this.dumps.importDump(args, body, principal);
  }

  /**
   * An explicit Cancel of change `id` by `principal`: allowed when they may run that change (its
   * op and args, while this hub still holds it), else only for an owner or admin. False: refused.
   */
  cancelChange(id: string, principal: Principal): boolean {
    if (!mayCancel(this.pending, id, principal)) return false;
    this.cancel(id);
    return true;
  }

  /** Stop an op: a read whose viewer went away (the edge's own use; a person's Cancel is `cancelChange`). */
  cancel(id: string): void {
    this.sendToRelay({ type: "cancel", id });
  }

  /** The registry revoked this host's relay (token rotated, host removed): it stops for good, told why; `forget` drops this hub's memory. */
  async revoke(reason: string, forget: boolean): Promise<void> {
    for (const conn of closeRelays(this.ctx, CLOSE_REVOKED, reason)) this.pending.dropped(conn);
    // That relay stops for good, and the changes it ran with it: their end will not be known.
    for (const lost of this.pending.rebind("", new Set()))
      this.viewers.end(lost, { kind: "unknown", message: `the host's relay was revoked (${reason}) while this change ran` });
    if (forget) await this.ctx.storage.deleteAll();
  }

  /** Key rotation: send the relay `frame` (new public key signed by the old), then sign with `next`; true when a relay got it. */
  async opKeyRotated(frame: string, next: OpSigningJwk): Promise<boolean> {
    const key = await importOpSigningKey(next);
    const sent = this.sendToRelay(JSON.parse(frame) as object);
    this.sender.useKey(key);
    return sent;
  }

  /**
   * Start a live read (a log tail) for `subject` and answer with its id at once; its output is
   * then pulled with `tailPull`, in segments a page renews (see Tails). A host that is offline, or
   * that refuses the op, ends the tail at once: the first pull says how.
   */
  tailOpen(op: OpName, args: Record<string, unknown>, principal: Principal): string {
    const id = crypto.randomUUID();
    const subject = principal.user;
    this.tails.open(id, subject);
    const onChunk = (stream: "stdout" | "stderr", data: string, skipped?: number) => this.tails.push(id, stream, data, skipped);
    void this.sender.send(op, args, principal, { opId: id, onChunk, wanted: () => this.tails.has(id) }).then((ended) => this.tails.end(id, ended));
    return id;
  }

  /**
   * What tail `id` printed since the last pull, waiting up to `waitMs` (at most 5 s) for something
   * new; the caller holds the tail `holdMs` more (at most 10 s) before its lease runs (see Tails.pull).
   */
  tailPull(id: string, subject: string, waitMs: number, holdMs = 0): Promise<TailPull> {
    const clamp = (ms: number, max: number) => Math.min(Math.max(0, ms), max);
    return this.tails.pull(id, subject, clamp(waitMs, 5_000), clamp(holdMs, 10_000));
  }

  /** The tail's viewer left: it stops now. */
  tailClose(id: string, subject: string): void {
    if (this.tails.close(id, subject)) this.cancel(id);
  }

  /** Push to deploy (worker/hooks/hub-hooks.ts): set, show and remove an app's hook (the policy decides), and take a delivery. */
  hookSet(principal: Principal, app: string, repo: string, branch: string) {
    return this.hubHooks.set(principal, app, repo, branch);
  }
  hookShow(principal: Principal, app: string) {
    return this.hubHooks.show(principal, app);
  }
  hookRemove(principal: Principal, app: string) {
    return this.hubHooks.remove(principal, app);
  }
  hookDeliver(hookId: string, headers: Record<string, string>, body: Uint8Array | null) {
    return this.hubHooks.deliver(hookId, headers, body);
  }

  /** One alert check of this host at `now` (the Cron Trigger's time; worker/alerts/scheduled.ts). */
  checkAlerts(host: string, hostName: string, now: number): Promise<{ open: number; sent: number }> {
    return this.alerts.check(host, hostName, now);
  }
  /** The alerts `principal` may see (open first), and acknowledging one. */
  alertList(principal: Principal): Alert[] {
    return this.alerts.list(principal);
  }
  alertAck(principal: Principal, id: number): boolean {
    return this.alerts.ack(principal, id, Date.now());
  }

  /** Run the alarm by `at` (ms since epoch) at the latest. */
  private async wake(at: number): Promise<void> {
    const set = await this.ctx.storage.getAlarm();
    if (set === null || set > at) await this.ctx.storage.setAlarm(at);
  }

  /** The one alarm: deploy hooks' waiting commits. */
  override async alarm(): Promise<void> {
    await this.hubHooks.hooks.drain();
  }

  /** Change `opId` as this hub saw it start, or null (worker/hub/started-changes.ts). */
  startedChange(opId: string): Promise<StartedChange | null> {
    return startedChange(this.ctx.storage, opId);
  }

  async status(): Promise<HubStatus> {
    return statusOf(this.ctx, this.liveRelay());
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string") return ws.close(1003, "text frames only");
    const parsed = parseFrame(relayFrame, message);
    if (!parsed.ok) {
      log.warn("unreadable frame from relay", { reason: parsed.reason });
      return;
    }
    const from = attachmentOf(ws);
    if (from) this.lastFrameAt.set(from.conn, Date.now());
    return onRelayFrame(this.frames, ws, parsed.frame);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const att = attachmentOf(ws);
    this.pending.dropped(att?.conn);
    await this.ctx.storage.put("lastSeen", Date.now());
    log.info("relay disconnected", { host: att?.host, code, reason });
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.pending.dropped(attachmentOf(ws)?.conn);
  }

  /** Send `frame` to the connected relay; false when there is none or it did not take it. */
  private sendToRelay(frame: object): boolean {
    const relay = this.liveRelay();
    return relay !== null && sendFrame(relay, frame);
  }

  /** The connected relay, unless its heartbeat has gone quiet (then it is closed as stale). */
  private liveRelay(): WebSocket | null {
    return liveRelay(this.ctx, this.lastFrameAt, (conn) => this.pending.dropped(conn));
  }
}
