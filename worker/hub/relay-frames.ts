import type { HelloFrame, JobInfo, RelayFrame } from "../../protocol/frames.js";
import type { OpName } from "../../protocol/ops.js";
import { auditOpEnded } from "../audit/record.js";
import { opOutcomeText } from "../audit/events.js";
import type { Env } from "../env.js";
import { log } from "../log.js";
import type { Outcome } from "./outcome.js";
import { outcomeOf, type PendingOps } from "./pending-ops.js";
import type { ReadCache } from "./read-cache.js";
import { attachmentOf, helloRefusal, replaceIncumbents, sendFrame, setAttachment } from "./relay-socket.js";
import { keptOutcome, rememberEnded, rememberStarted, startedChange } from "./started-changes.js";
import type { Viewers } from "./viewers.js";
import type { DumpDownloads } from "./dump-downloads.js";
import type { DumpUploads } from "./dump-uploads.js";

/** What a HostHub lends the handling of its relay's frames: its state, and how to stop or detach an op. */
export interface FrameHub {
  ctx: DurableObjectState;
  env: Env;
  pending: PendingOps;
  viewers: Viewers;
  /** Database exports on their way to browsers: the relay's "bytes" frames feed them. */
  dumps: DumpDownloads;
  /** Database imports on their way from browsers: the relay's "credit" frames let them go on. */
  uploads: DumpUploads;
  cache: ReadCache;
  /** Stop op `id` on the relay. */
  cancel(id: string): void;
  /** Nobody watches change `id` any more: the relay stops sending its output. */
  detach(id: string): void;
}

/**
 * One frame from relay socket `ws`, already parsed: a hello (accepted or refused, the connection's
 * pending changes rebound), a change started, a viewer attached, output, a notice, or an op's result.
 */
export async function onRelayFrame(hub: FrameHub, ws: WebSocket, frame: RelayFrame): Promise<void> {
  switch (frame.type) {
    case "hello":
      return onHello(hub, ws, frame);
    case "started":
      return onStarted(hub, frame.job);
    case "attached": {
      // A change can end before its viewer attaches (its own starter's attach comes after its start
      // reply): that viewer is told how it ended, as one who came earlier was, never "unknown".
      const ended = frame.running ? undefined : await endOf(hub, frame.id);
      return hub.viewers.attached(frame.id, frame.tag, frame.running, frame.dropped, () => hub.detach(frame.id), ended);
    }
    case "chunk": {
      if (frame.seq !== undefined || frame.tag !== undefined) {
        hub.viewers.chunk(frame.id, frame.stream, frame.data, frame.seq, frame.tag, () => hub.detach(frame.id));
        return;
      }
      const p = hub.pending.get(frame.id);
      if (!p?.onChunk) return;
      // The callback may be an RPC stub into the Worker streaming to a browser that left.
      void Promise.resolve()
        .then(() => p.onChunk?.(frame.stream, frame.data, frame.skipped ?? 0))
        .catch(() => hub.cancel(frame.id));
      return;
    }
    case "notice":
      log.warn("relay notice", { notice: frame.message });
      return;
    case "bytes":
      return hub.dumps.bytes(frame);
    case "credit":
      return hub.uploads.credit(frame.id, frame.upTo);
    case "result": {
      // A change's result names its job: if it is here before its "started" frame, it says the change started first.
      if (frame.job) await onStarted(hub, frame.job);
      const p = hub.pending.get(frame.id);
      const ended = outcomeOf(frame, p?.op);
      hub.viewers.end(frame.id, ended);
      // A change whose starter is gone (this hub was evicted meanwhile): its audit row ends here.
      if (!p) void auditOpEnded(hub.env, frame.id, opOutcomeText(ended));
      // No pending entry: a late reply after a timeout, or a change whose starter left: history has it.
      if (p) hub.pending.settle(frame.id, ended);
      else {
        hub.pending.ended(frame.id, ended);
        await rememberEnded(hub.ctx.storage, frame.id, outcomeFields(ended), Date.now());
      }
      return;
    }
  }
}

/** Change `job` started: its starter is told (once), and the start is kept (once) for its page and API status. */
function onStarted(hub: FrameHub, job: JobInfo): Promise<void> {
  hub.pending.started(job.opId);
  return rememberStarted(hub.ctx.storage, job);
}

async function onHello(hub: FrameHub, ws: WebSocket, frame: HelloFrame): Promise<void> {
  const att = attachmentOf(ws);
  if (!att) return;
  // A refused hello (another host's id, another protocol) closes only this socket.
  const refusal = helloRefusal(att, frame);
  if (refusal) return ws.close(refusal.code, refusal.reason);
  // The attachment holds at most 2 KiB: keep the hello without its list of changes.
  const { changes, ...hello } = frame;
  setAttachment(ws, { ...att, hello });
  const tookOver = replaceIncumbents(hub.ctx, ws, (conn) => hub.pending.dropped(conn)) > 0;
  await hub.ctx.storage.put({ lastHello: hello, lastSeen: Date.now() }); // after an edge restart: offline, not new
  // The host may have changed while the link was down: nothing read before is trusted.
  hub.cache.clear();
  // Viewers of changes that outlived the previous connection pick up where they were.
  for (const { opId, tag } of hub.viewers.reattach()) sendFrame(ws, { type: "attach", id: opId, tag });
  const why = tookOver
    ? "another relay took this host over while this change ran: the replaced relay runs it to its end and its history records how it ended"
    : "the relay restarted while this change ran: history marks it interrupted";
  for (const lost of hub.pending.rebind(att.conn, changes === undefined ? null : new Set(changes), why))
    hub.viewers.end(lost, { kind: "unknown", message: why });
}

/**
 * What this hub knows of how change `id` ended, for a viewer the relay says it is not running:
 * "pending" while its result is still awaited, its outcome when it ended here (in memory for a
 * minute, else its failure as kept beside its start), or undefined (history tells the rest).
 */
async function endOf(hub: FrameHub, id: string): Promise<Outcome<OpName> | "pending" | undefined> {
  if (hub.pending.get(id)) return "pending";
  const recent = hub.pending.endedRecently(id);
  if (recent) return recent;
  const kept = (await startedChange(hub.ctx.storage, id))?.ended;
  return kept ? (keptOutcome(kept) ?? undefined) : undefined;
}

/** An outcome's kind, code and message, as a change's kept end (started-changes.ts). */
export function outcomeFields(o: Outcome<OpName>): { kind: string; code?: string; message?: string } {
  return o.kind === "ok" ? { kind: "ok" } : o.kind === "error" ? { kind: o.kind, code: o.code, message: o.message } : { kind: o.kind, message: o.message };
}
