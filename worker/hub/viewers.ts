import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** What a viewer of a running change is told, in order. */
export type ViewerEvent =
  | { type: "chunk"; stream: "stdout" | "stderr"; data: string }
  /** The relay no longer keeps the first `chars` characters of the output (its buffer is bounded). */
  | { type: "dropped"; chars: number }
  /** The change ended; nothing follows. */
  | { type: "end"; outcome: Outcome<OpName> }
  /** The change is not running (it ended before the viewer came): its history tells the rest. */
  | { type: "gone" };

/**
 * Delivers one event to a viewer: true once delivered, false when the viewer has gone away. It is
 * passed over RPC to a HostHub, so it says "gone" by its value, not by throwing: a rejection that
 * crosses RPC is reported by workerd as an uncaught error, though a viewer leaving is the normal
 * end of watching. (A throw still counts as gone.)
 */
export type ViewerCallback = (event: ViewerEvent) => boolean | Promise<boolean>;

/** A ViewerCallback from `write`, which throws once its viewer has gone (a stream's write): false then, never a rejection. */
export function viewerCallback(write: (event: ViewerEvent) => Promise<unknown>): ViewerCallback {
  return (event) =>
    write(event).then(
      () => true,
      () => false,
    );
}

interface Viewer {
  /** The tag of this viewer's latest attach: only replay chunks with it are its own. */
  tag: string;
  /** Until the relay confirms the replay for `tag`, live chunks are not shown (the replay covers them). */
  synced: boolean;
  /** Offset in the change's output up to which this viewer has been shown everything. */
  next: number;
  deliver: ViewerCallback;
  /** Events go out one after another, in order. */
  queue: Promise<void>;
  finished: boolean;
  /** A delivery found the viewer gone: nothing more is delivered to it. */
  left: boolean;
  close: () => void;
}

/**
 * The people watching each running change on one host, and the fan-out of its output to them.
 * The relay sends a change's output once; each viewer gets it from its own start (a replay the
 * relay sends for its attach), without gaps or repeats, by the offsets the relay numbers pieces with.
 */
export class Viewers {
  private readonly byOp = new Map<string, Map<string, Viewer>>();

  /**
   * Add a viewer of `opId` whose first attach uses `tag`. Returns a promise that settles once the
   * viewer is finished (the change ended, was gone, or the viewer left).
   */
  add(opId: string, tag: string, deliver: ViewerCallback): { done: Promise<void> } {
    let close!: () => void;
    const done = new Promise<void>((r) => (close = r));
    const viewers = this.byOp.get(opId) ?? new Map<string, Viewer>();
    viewers.set(tag, { tag, synced: false, next: 0, deliver, queue: Promise.resolve(), finished: false, left: false, close });
    this.byOp.set(opId, viewers);
    return { done };
  }

  /** Ops that have at least one viewer, with a fresh tag for each viewer (to re-attach after a reconnect). */
  reattach(): Array<{ opId: string; tag: string }> {
    const out: Array<{ opId: string; tag: string }> = [];
    for (const [opId, viewers] of this.byOp) {
      for (const [oldTag, v] of [...viewers]) {
        viewers.delete(oldTag);
        v.tag = crypto.randomUUID();
        v.synced = false;
        viewers.set(v.tag, v);
        out.push({ opId, tag: v.tag });
      }
    }
    return out;
  }

  has(opId: string): boolean {
    return (this.byOp.get(opId)?.size ?? 0) > 0;
  }

  /**
   * A chunk from the relay: untagged live output for every synced viewer, or replay output for the
   * one viewer whose attach carried `tag`. `onLeft` runs once for each viewer found gone while
   * delivering (the caller sends the relay one detach for each).
   */
  chunk(opId: string, stream: "stdout" | "stderr", data: string, seq: number | undefined, tag: string | undefined, onLeft: () => void): void {
    const viewers = this.byOp.get(opId);
    if (!viewers) return;
    for (const v of viewers.values()) {
      if (tag !== undefined ? v.tag !== tag : !v.synced) continue;
      const at = seq ?? v.next;
      const end = at + data.length;
      if (end <= v.next) continue;
      // The first thing this viewer sees starts past the output's start: the relay no longer keeps the rest.
      if (v.next === 0 && at > 0) this.send(opId, v, { type: "dropped", chars: at }, onLeft);
      const fresh = data.slice(Math.max(0, v.next - at));
      v.next = end;
      this.send(opId, v, { type: "chunk", stream, data: fresh }, onLeft);
    }
  }

  /**
   * The relay finished the replay for `tag` (or said the change is not running). For one not
   * running, `ended` is what the hub knows of its end: its outcome (it ended before this viewer
   * came: told as its end, after the replay), "pending" (the hub still waits for its result, which
   * `end` brings), or undefined (the hub does not know: "gone", history tells the rest).
   */
  attached(opId: string, tag: string, running: boolean, dropped: number, onLeft: () => void, ended?: Outcome<OpName> | "pending"): void {
    const v = this.byOp.get(opId)?.get(tag);
    if (!v) return;
    // Nothing was replayed, yet some output was: it is no longer kept.
    if (dropped > 0 && v.next === 0) this.send(opId, v, { type: "dropped", chars: dropped }, onLeft);
    if (!running && ended !== "pending") {
      // It ended (moments ago, when its output was replayed above).
      this.send(opId, v, ended ? { type: "end", outcome: ended } : { type: "gone" }, onLeft);
      this.finish(opId, v);
      return;
    }
    v.synced = true;
  }

  /** The change ended: every viewer is told, then let go. */
  end(opId: string, outcome: Outcome<OpName>): void {
    const viewers = this.byOp.get(opId);
    if (!viewers) return;
    for (const v of [...viewers.values()]) {
      this.send(opId, v, { type: "end", outcome }, () => {});
      this.finish(opId, v);
    }
  }

  /** Every viewer of every change is told the same thing (the link is gone for good) and let go. */
  endAll(outcome: Outcome<OpName>): void {
    for (const opId of [...this.byOp.keys()]) this.end(opId, outcome);
  }

  private send(opId: string, v: Viewer, event: ViewerEvent, onLeft: () => void): void {
    const last = event.type === "end" || event.type === "gone";
    if (v.finished && !last) return;
    v.queue = v.queue
      // a viewer found gone while this waited its turn is told nothing more
      .then(() => (v.left ? false : v.deliver(event)))
      .then((delivered) => {
        if (!delivered) throw new Error("viewer gone");
      })
      .catch(() => {
        v.left = true;
        if (v.finished) return;
        this.finish(opId, v);
        onLeft();
      });
  }

  private finish(opId: string, v: Viewer): void {
    const viewers = this.byOp.get(opId);
    viewers?.delete(v.tag);
    if (viewers?.size === 0) this.byOp.delete(opId);
    if (v.finished) return;
    v.finished = true;
    void v.queue.then(v.close);
  }
}
