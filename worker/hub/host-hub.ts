import { DurableObject } from "cloudflare:workers";
import type { CryptoKey } from "jose";
import { CLOSE_REVOKED, parseFrame, PING, PONG, relayFrame, type RelayFrame } from "../../protocol/frames.js";
import { appOf, ops, type OpArgs, type OpName } from "../../protocol/ops.js";
import type { Env, OpSigningJwk } from "../env.js";
import { hostRegistry } from "../registry/client.js";
import { importOpSigningKey } from "../registry/op-key.js";
import { historyDownload, type Download } from "./download.js";
import { DumpDownloads } from "./dump-downloads.js";
import { DumpUploads } from "./dump-uploads.js";
import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";
import type { HubStatus, Outcome } from "./outcome.js";
import { SERVE_STALE_MS } from "../../protocol/ops/spec.js";
import { HubHooks } from "../hooks/hub-hooks.js";
import { ALERTS_PRINCIPAL, HubAlerts } from "../alerts/hub-alerts.js";
import type { Alert } from "../alerts/alert-store.js";
import { LastKnown } from "./last-known.js";
import { ReadCache } from "./read-cache.js";
import { SqlCacheStore } from "./sql-cache-store.js";
import { outcomeOf, PendingOps, type PendingOp, type StartOutcome } from "./pending-ops.js";
import { acceptRelay, attachmentOf, helloRefusal, liveRelay, replaceIncumbents, sendFrame, statusOf, type RelayAttachment } from "./relay-socket.js";
import { signOp } from "./sign-op.js";
import { keptOutcome, rememberEnded, rememberStarted, startedChange, startedChanges, type StartedChange } from "./started-changes.js";
import { decide, isAdminRole, seesApp } from "../../protocol/policy.js";
import type { Principal } from "../../protocol/principal.js";
import { Tails, type TailPull } from "./tails.js";
import { Viewers, type ViewerCallback } from "./viewers.js";
import { log } from "../log.js";
import { audit, auditOpEnded } from "../audit/record.js";
import { opOutcomeText } from "../audit/events.js";

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
  /** Database exports on their way to browsers (worker/hub/dump-downloads.ts). */
  private readonly dumps = new DumpDownloads();
  /** Database imports on their way from browsers (worker/hub/dump-uploads.ts). */
  private readonly uploads = new DumpUploads();
  /** When each connection last sent any frame (memory only: an object that hibernated was idle). */
  private readonly lastFrameAt = new Map<string, number>();
  private readonly cache: ReadCache;
  /** What each read last gave, shown while the relay is offline (kept apart from the cache, which a reconnect empties). */
  private readonly lastKnown: LastKnown;
  /** Push to deploy: each app's hook and its deliveries (worker/hooks/). */
  private readonly hubHooks: HubHooks;
  /** Alerts: the Cron Trigger's checks of this host and what they found (worker/alerts/). */
  private readonly alerts: HubAlerts;
  /** Live reads whose viewers pull their output; one nobody pulls any more is stopped. */
  private readonly tails = new Tails((id) => this.cancel(id));
  private signingKey: CryptoKey | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.cache = new ReadCache(Date.now, SERVE_STALE_MS, new SqlCacheStore(ctx.storage.sql));
    this.lastKnown = new LastKnown(ctx.storage.sql);
    this.hubHooks = new HubHooks(
      ctx.storage.sql,
      env,
      (app, args, p, onEnded) => this.start("git.sync", args, p, onEnded),
      (at) => this.wake(at),
    );
    this.alerts = new HubAlerts(ctx.storage.sql, env, {
      online: () => this.liveRelay() !== null,
      lastSeen: async () => (await ctx.storage.get<number>("lastSeen")) ?? null,
      // The read cache: a change that made a read stale has dropped it, so a stopped app is not hidden by an older read.
      known: (op) => {
        const hit = this.cache.read(op, {});
        return hit ? { value: hit.value, at: Date.now() - hit.ageMs } : undefined;
      },
      // Straight from the host (what it gives is kept as the last known state, and the cache learns it).
      read: async (op) => {
        const r = this.liveRelay() ? await this.readOnce(op, {}, ALERTS_PRINCIPAL) : null;
        return r?.kind === "ok" ? r.result : null;
      },
      changes: () => startedChanges(ctx.storage),
    });
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
    const refused = this.refusal(principal, op, args);
    if (refused) return refused;
    if (onChunk || opId || ops[op].mutates) return this.dispatch(op, args, principal, { ...(onChunk ? { onChunk } : {}), ...(opId ? { opId } : {}) });
    // Offline, a read answers with what the host last said, `asOf` when (even a fresh cache hit: the page must know).
    if (!this.liveRelay()) return this.lastKnown.answer(op, args, { kind: "offline", message: "the host's relay is not connected" });
    const outcome = ReadCache.cacheable(op) ? await this.read(op, args, principal) : await this.readOnce(op, args, principal);
    return outcome.kind === "offline" ? this.lastKnown.answer(op, args, outcome) : outcome;
  }

  /** A read straight from the host; what it gives is kept as the last known state. */
  private async readOnce<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal): Promise<Outcome<N>> {
    return this.lastKnown.kept(op, args, await this.dispatch(op, args, principal, {}));
  }

  /** A cacheable read, stale-while-revalidate (ReadCache.serve), one trip to the host at most. */
  private read<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal): Promise<Outcome<N>> {
    const load = () => this.readOnce(op, args, principal);
    return this.cache.serve(
      op,
      args,
      load,
      () => this.liveRelay() !== null,
      (trip) => this.ctx.waitUntil(trip),
    ) as Promise<Outcome<N>>;
  }

  /**
   * Start a change and answer as soon as the relay has accepted it (or refused it: bad input, the
   * app busy with another change, the host offline). The change then runs to its end on the host
   * whoever watches; `watch` shows its output, `cancel` stops it.
   */
  async start(op: OpName, args: Record<string, unknown>, principal: Principal, onEnded?: (ok: boolean, message: string) => void): Promise<StartOutcome> {
    const refused = this.refusal(principal, op, args);
    if (refused) return refused;
    if (!ops[op].mutates) return { kind: "error", code: "bad_request", message: `${op} is not a change` };
    return new Promise<StartOutcome>((resolveStart) => {
      let answered = false;
      const onStarted = (s: StartOutcome) => {
        answered = true;
        resolveStart(s);
      };
      void this.dispatch(op, args, principal, { onStarted }).then((ended) => {
        if (answered) return onEnded?.(ended.kind === "ok", ended.kind === "ok" ? "ok" : ended.message);
        resolveStart(ended.kind === "ok" ? { kind: "error", code: "internal", message: "the relay ended the change without starting it" } : ended);
      });
    });
  }

  /**
   * Watch a running change: `deliver` gets its output from the first line the relay still keeps,
   * then live, then how it ended (or "gone" when it is not running). Resolves when the viewer is
   * done. Any number of viewers may watch the same change; a viewer leaving never stops it.
   */
  async watch(opId: string, principal: Principal, deliver: ViewerCallback): Promise<void> {
    if (!this.mayWatch(opId, principal)) {
      await deliver({ type: "end", outcome: { kind: "error", code: "denied", message: "Not allowed: you may not see this change's output." } });
      return;
    }
    const relay = this.liveRelay();
    if (!relay) {
      await deliver({ type: "end", outcome: { kind: "offline", message: "the host's relay is not connected; a change that had started keeps running there" } });
      return;
    }
    const tag = crypto.randomUUID();
    const { done } = this.viewers.add(opId, tag, deliver);
    sendFrame(relay, { type: "attach", id: opId, tag });
    await done;
  }

  private async dispatch<N extends OpName>(
    op: N,
    args: Record<string, unknown>,
    principal: Principal,
    /** `wanted`: asked once the op is signed; false (its viewer left meanwhile) sends nothing. */
    hooks: { onChunk?: PendingOp["onChunk"]; opId?: string; onStarted?: PendingOp["onStarted"]; wanted?: () => boolean },
  ): Promise<Outcome<N>> {
    // The one place an op is signed: nothing the policy refuses is ever sent.
    const refused = this.refusal(principal, op, args);
    if (refused) return refused;
    const relay = this.liveRelay();
    if (!relay) return { kind: "offline", message: "the host's relay is not connected" };
    const att = attachmentOf(relay)!;
    const id = hooks.opId ?? crypto.randomUUID();
    const jws = await this.sign(id, att.host, op, args, principal);
    if (hooks.wanted && !hooks.wanted()) return { kind: "error", code: "cancelled", message: "its viewer left before it was sent" };
    // Every op signed is audited: a change once sent ("running") and again when it ends, a read when it ends.
    const audited = (outcome: string) => void audit(this.env, { kind: "op", user: principal.user, host: att.host, op, args, opId: id, outcome });
    if (ops[op].mutates) audited("running");
    const outcome = this.pending.wait<N>(
      id,
      { op, args, conn: att.conn, ...(hooks.onChunk ? { onChunk: hooks.onChunk } : {}), ...(hooks.onStarted ? { onStarted: hooks.onStarted } : {}) },
      () => {
        if (!ops[op].mutates) sendFrame(relay, { type: "cancel", id });
      },
    );
    if (!sendFrame(relay, { type: "op", id, jws })) this.pending.settle(id, { kind: "offline", message: "the host's relay is not connected" });
    void outcome.then((o) => audited(opOutcomeText(o)));
    return outcome;
  }

  /** The history export as a byte stream, page by page as it is read (worker/hub/download.ts). */
  exportHistory(args: OpArgs<"history.export">, principal: Principal): Promise<Download> {
    return historyDownload((a) => this.run("history.export", a, principal), args);
  }

  /**
   * A database's dump as a byte stream, as the relay writes it and no faster than the browser takes
   * it (worker/hub/dump-downloads.ts). Answers once the first bytes came, or with how the export
   * failed before any; a failure after that breaks the download. A reader that leaves stops it.
   */
  async exportDump(args: OpArgs<"databases.export">, principal: Principal): Promise<Download> {
    const refused = this.refusal(principal, "databases.export", args);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const dump = this.dumps.start(
      id,
      (upTo) => this.sendToRelay({ type: "credit", id, upTo }),
      () => this.cancel(id),
    );
    void this.dispatch("databases.export", args, principal, { opId: id }).then((o) => this.dumps.end(id, o));
    return dump.begins;
  }

  /**
   * Import `body` (a dump) into a database: the change starts, the relay asks for the dump once it
   * checked the service, and `body` is read only as fast as the relay's credit allows. Answers
   * "started" once the whole dump was sent (the relay then runs the import, whoever watches), or
   * how it ended before: the op's own failure (a missing service), or an upload past
   * DUMP_UPLOAD_MAX_BYTES or broken off, which stops the change before anything was imported.
   */
  async importDump(args: OpArgs<"databases.import">, body: ReadableStream<Uint8Array>, principal: Principal): Promise<StartOutcome> {
    const refused = this.refusal(principal, "databases.import", args);
    if (refused) return refused;
    const id = crypto.randomUUID();
    const upload = this.uploads.start(id, (frame) => {
      const relay = this.liveRelay();
      return relay !== null && sendFrame(relay, frame);
    });
    const ended = this.dispatch("databases.import", args, principal, { opId: id });
    void ended.then(() => this.uploads.end(id));
    const sent = await upload.pump(body);
    if (sent.kind === "sent") return { kind: "started", opId: id };
    this.uploads.end(id);
    if (sent.kind === "ended") {
      const o = await ended;
      return o.kind === "ok" ? { kind: "started", opId: id } : o;
    }
    // the relay has not got the whole dump: stopping the change imports nothing
    this.cancel(id);
    const mib = DUMP_UPLOAD_MAX_BYTES / 1024 / 1024;
    return sent.kind === "too_large"
      ? { kind: "error", code: "too_large", message: `the dump passed the ${mib} MiB an import takes; nothing was imported` }
      : { kind: "error", code: "bad_request", message: `${sent.message}; nothing was imported` };
  }

  /**
   * An explicit Cancel of change `id` by `principal`: allowed when they may run that change (its
   * op and args, while this hub still holds it), else only for an owner or admin. False: refused.
   */
  cancelChange(id: string, principal: Principal): boolean {
    const p = this.pending.get(id);
    if (!(p ? decide(principal, p.op, p.args).allowed : isAdminRole(principal.role))) return false;
    this.cancel(id);
    return true;
  }

  /** Stop an op: a read whose viewer went away (the edge's own use; a person's Cancel is `cancelChange`). */
  cancel(id: string): void {
    this.sendToRelay({ type: "cancel", id });
  }

  /** The registry revoked this host's relay (token rotated, host removed): it stops for good, told why; `forget` drops this hub's memory. */
  async revoke(reason: string, forget: boolean): Promise<void> {
    for (const ws of this.ctx.getWebSockets("relay")) {
      try {
        ws.close(CLOSE_REVOKED, reason);
      } catch {
        /* already closing */
      }
      this.pending.dropped(attachmentOf(ws)?.conn);
    }
    // That relay stops for good, and the changes it ran with it: their end will not be known.
    for (const lost of this.pending.rebind("", new Set()))
      this.viewers.end(lost, { kind: "unknown", message: `the host's relay was revoked (${reason}) while this change ran` });
    if (forget) await this.ctx.storage.deleteAll();
  }

  /** Key rotation: send the relay `frame` (new public key signed by the old), then sign with `next`; true when a relay got it. */
  async opKeyRotated(frame: string, next: OpSigningJwk): Promise<boolean> {
    const key = await importOpSigningKey(next);
    const relay = this.liveRelay();
    const sent = relay !== null && sendFrame(relay, JSON.parse(frame) as object);
    this.signingKey = key;
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
    void this.dispatch(op, args, principal, { opId: id, onChunk, wanted: () => this.tails.has(id) }).then((ended) => this.tails.end(id, ended));
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
    const frame: RelayFrame = parsed.frame;
    const from = attachmentOf(ws);
    if (from) this.lastFrameAt.set(from.conn, Date.now());
    switch (frame.type) {
      case "hello": {
        const att = attachmentOf(ws);
        if (!att) return;
        // A refused hello (another host's id, another protocol) closes only this socket.
        const refusal = helloRefusal(att, frame);
        if (refusal) return ws.close(refusal.code, refusal.reason);
        // The attachment holds at most 2 KiB: keep the hello without its list of changes.
        const { changes, ...hello } = frame;
        ws.serializeAttachment({ ...att, hello } satisfies RelayAttachment);
        const tookOver = replaceIncumbents(this.ctx, ws, (conn) => this.pending.dropped(conn)) > 0;
        await this.ctx.storage.put({ lastHello: hello, lastSeen: Date.now() }); // after an edge restart: offline, not new
        // The host may have changed while the link was down: nothing read before is trusted.
        this.cache.clear();
        // Viewers of changes that outlived the previous connection pick up where they were.
        for (const { opId, tag } of this.viewers.reattach()) sendFrame(ws, { type: "attach", id: opId, tag });
        const why = tookOver
          ? "another relay took this host over while this change ran: the replaced relay runs it to its end and its history records how it ended"
          : "the relay restarted while this change ran: history marks it interrupted";
        for (const lost of this.pending.rebind(att.conn, changes === undefined ? null : new Set(changes), why))
          this.viewers.end(lost, { kind: "unknown", message: why });
        return;
      }
      case "started":
        this.pending.started(frame.id);
        return rememberStarted(this.ctx.storage, frame.job);
      case "attached": {
        // A change can end before its viewer attaches (its own starter's attach comes after its start
        // reply): that viewer is told how it ended, as one who came earlier was, never "unknown".
        const ended = frame.running ? undefined : await this.endOf(frame.id);
        return this.viewers.attached(frame.id, frame.tag, frame.running, frame.dropped, () => this.detach(frame.id), ended);
      }
      case "chunk": {
        if (frame.seq !== undefined || frame.tag !== undefined) {
          this.viewers.chunk(frame.id, frame.stream, frame.data, frame.seq, frame.tag, () => this.detach(frame.id));
          return;
        }
        const p = this.pending.get(frame.id);
        if (!p?.onChunk) return;
        // The callback may be an RPC stub into the Worker streaming to a browser that left.
        void Promise.resolve()
          .then(() => p.onChunk?.(frame.stream, frame.data, frame.skipped ?? 0))
          .catch(() => this.cancel(frame.id));
        return;
      }
      case "notice":
        log.warn("relay notice", { notice: frame.message });
        return;
      case "bytes":
        return this.dumps.bytes(frame);
      case "credit":
        return this.uploads.credit(frame.id, frame.upTo);
      case "result": {
        const p = this.pending.get(frame.id);
        const ended = outcomeOf(frame, p?.op);
        this.viewers.end(frame.id, ended);
        // A change whose starter is gone (this hub was evicted meanwhile): its audit row ends here.
        if (!p) void auditOpEnded(this.env, frame.id, opOutcomeText(ended));
        // No pending entry: a late reply after a timeout, or a change whose starter left: history has it.
        if (p) this.pending.settle(frame.id, ended);
        else {
          this.pending.ended(frame.id, ended);
          await rememberEnded(this.ctx.storage, frame.id, outcomeFields(ended), Date.now());
        }
        return;
      }
    }
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

  /**
   * Whether `principal` may follow change `opId`'s output: they could run it, or see its app (while
   * this hub holds it); else they may read the host's history, where its output is kept anyway.
   */
  private mayWatch(opId: string, principal: Principal): boolean {
    const p = this.pending.get(opId);
    const app = p ? appOf(p.args) : null;
    if (app !== null && seesApp(principal, app)) return true;
    return decide(principal, "history.get", { opId }).allowed;
  }

  /**
   * What this hub knows of how change `id` ended, for a viewer the relay says it is not running:
   * "pending" while its result is still awaited, its outcome when it ended here (in memory for a
   * minute, else its failure as kept beside its start), or undefined (history tells the rest).
   */
  private async endOf(id: string): Promise<Outcome<OpName> | "pending" | undefined> {
    if (this.pending.get(id)) return "pending";
    const recent = this.pending.endedRecently(id);
    if (recent) return recent;
    const kept = (await startedChange(this.ctx.storage, id))?.ended;
    return kept ? (keptOutcome(kept) ?? undefined) : undefined;
  }

  /** A viewer of a change left: the relay stops sending its output once nobody watches. */
  private detach(id: string): void {
    this.sendToRelay({ type: "detach", id });
  }

  private sendToRelay(frame: object): void {
    const relay = this.liveRelay();
    if (relay) sendFrame(relay, frame);
  }

  /** The connected relay, unless its heartbeat has gone quiet (then it is closed as stale). */
  private liveRelay(): WebSocket | null {
    return liveRelay(this.ctx, this.lastFrameAt, (conn) => this.pending.dropped(conn));
  }

  /**
   * The policy's refusal of `op` for `principal` as an outcome (403 "denied" with its reason), or
   * null when allowed. A refusal is audited (outcome "denied", the reason as its detail).
   */
  private refusal(principal: Principal, op: OpName, args: Record<string, unknown>): { kind: "error"; code: "denied"; message: string } | null {
    const verdict = decide(principal, op, args);
    if (verdict.allowed) return null;
    const host = this.ctx.id.name ?? null;
    void audit(this.env, { kind: "op", user: principal.user, host, op, args, opId: null, outcome: "denied", detail: verdict.reason });
    return { kind: "error", code: "denied", message: `Not allowed: ${verdict.reason}.` };
  }

  private async sign(id: string, host: string, op: OpName, args: Record<string, unknown>, principal: Principal): Promise<string> {
    // The key lives in the host registry; a rotation hands this hub the new one (opKeyRotated).
    this.signingKey ??= await importOpSigningKey(await hostRegistry(this.env).opSigningKey());
    return signOp(this.signingKey, { id, host, op, args, principal });
  }
}

/** An outcome's kind, code and message, as a change's kept end (started-changes.ts). */
function outcomeFields(o: Outcome<OpName>): { kind: string; code?: string; message?: string } {
  return o.kind === "ok" ? { kind: "ok" } : o.kind === "error" ? { kind: o.kind, code: o.code, message: o.message } : { kind: o.kind, message: o.message };
}
