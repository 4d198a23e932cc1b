import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** The most lines a tail keeps for its viewer between two pulls: what the logs page can show. */
export const TAIL_MAX_LINES = 2_000;
/**
 * How long a tail lives with nobody pulling it (ms): a page renews its stream well within this;
 * one that silently lost its connection does not, and its tail ends.
 */
export const TAIL_LEASE_MS = 2_000;

/** One line of a tail's output, with its newline when it had one. */
export interface TailLine {
  stream: "stdout" | "stderr";
  text: string;
}

/**
 * What a pull brings: the lines that came since the last pull (at most TAIL_MAX_LINES), how many
 * older ones were left out because more came than a page shows, and how the op ended, once it did.
 */
export interface TailBatch {
  lines: TailLine[];
  skipped: number;
  end?: Outcome<OpName>;
}

/** A pull's answer: a batch, or "gone" (no such tail for this viewer: it ended, expired or was never opened). */
export type TailPull = { kind: "batch"; batch: TailBatch } | { kind: "gone" };

interface Tail {
  subject: string;
  lines: TailLine[];
  skipped: number;
  end?: Outcome<OpName>;
  /** Pulls waiting now. While one waits, its viewer is there. */
  pulling: number;
  /** Wakes the pull that waits for something new. */
  wake: (() => void) | null;
  /** Ends the tail if nobody pulls it for TAIL_LEASE_MS. */
  lease: ReturnType<typeof setTimeout> | null;
}

/**
 * The live reads (log tails) one HostHub runs, between the relay, which pushes their output, and
 * their viewers, who pull it in short segments. Each tail keeps only the newest TAIL_MAX_LINES
 * lines since the last pull (counting the rest as skipped), so a burst costs what the page can
 * show, not what the host printed. A tail nobody pulls for TAIL_LEASE_MS is ended (`onExpire`
 * stops its op), so a viewer that vanished without a word stops its tail within that time.
 */
export class Tails {
  private readonly byId = new Map<string, Tail>();

  constructor(
    private readonly onExpire: (id: string) => void,
    private readonly leaseMs = TAIL_LEASE_MS,
    private readonly maxLines = TAIL_MAX_LINES,
  ) {}

  /** A tail whose op (id) has been sent; only `subject` may pull it. */
  open(id: string, subject: string): void {
    const tail: Tail = { subject, lines: [], skipped: 0, pulling: 0, wake: null, lease: null };
    this.byId.set(id, tail);
    this.renewLease(id, tail);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Output from the relay: whole lines (a last one without a newline is kept as it is); `skipped` lines the relay left out before it. */
  push(id: string, stream: "stdout" | "stderr", data: string, skipped = 0): void {
    const tail = this.byId.get(id);
    if (!tail || tail.end) return;
    tail.skipped += skipped;
    let from = 0;
    while (from < data.length) {
      const nl = data.indexOf("\n", from);
      const to = nl < 0 ? data.length : nl + 1;
      tail.lines.push({ stream, text: data.slice(from, to) });
      from = to;
    }
    const over = tail.lines.length - this.maxLines;
    if (over > 0) {
      tail.lines.splice(0, over);
      tail.skipped += over;
    }
    this.wakeUp(tail);
  }

  /** The op ended: its viewer is told at its next pull, then the tail is gone. */
  end(id: string, outcome: Outcome<OpName>): void {
    const tail = this.byId.get(id);
    if (!tail || tail.end) return;
    tail.end = outcome;
    this.wakeUp(tail);
  }

  /**
   * What came since the last pull, waiting up to `waitMs` for something when nothing has. Pulling
   * renews the tail's lease: it runs out `holdMs` + TAIL_LEASE_MS after the pull returns (the
   * caller holds the tail for `holdMs` more: the rest of its segment, however slowly its viewer
   * reads). "gone" when there is no such tail for `subject`.
   */
  async pull(id: string, subject: string, waitMs: number, holdMs = 0): Promise<TailPull> {
    const tail = this.byId.get(id);
    if (!tail || tail.subject !== subject) return { kind: "gone" };
    if (tail.lines.length === 0 && tail.skipped === 0 && !tail.end && waitMs > 0) {
      tail.pulling++;
      this.stopLease(tail);
      const t = tail;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          if (t.wake === done) t.wake = null;
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        t.wake?.(); // an earlier pull still waiting gives way to this one
        t.wake = done;
      });
      tail.pulling--;
    }
    const batch: TailBatch = { lines: tail.lines, skipped: tail.skipped, ...(tail.end ? { end: tail.end } : {}) };
    tail.lines = [];
    tail.skipped = 0;
    if (tail.end) this.forget(id, tail);
    else if (this.byId.get(id) === tail) this.renewLease(id, tail, holdMs);
    return { kind: "batch", batch };
  }

  /** The viewer left: the tail is forgotten (the caller stops its op). False when there was none for `subject`. */
  close(id: string, subject: string): boolean {
    const tail = this.byId.get(id);
    if (!tail || tail.subject !== subject) return false;
    this.forget(id, tail);
    return true;
  }

  private wakeUp(tail: Tail): void {
    const wake = tail.wake;
    tail.wake = null;
    wake?.();
  }

  private forget(id: string, tail: Tail): void {
    this.stopLease(tail);
    this.byId.delete(id);
    this.wakeUp(tail);
  }

  private stopLease(tail: Tail): void {
    if (tail.lease) clearTimeout(tail.lease);
    tail.lease = null;
  }

  private renewLease(id: string, tail: Tail, holdMs = 0): void {
    this.stopLease(tail);
    if (tail.pulling > 0) return;
    tail.lease = setTimeout(() => {
      if (this.byId.get(id) !== tail || tail.pulling > 0) return;
      this.forget(id, tail);
      this.onExpire(id);
    }, holdMs + this.leaseMs);
  }
}
