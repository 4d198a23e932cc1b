import type { ResultFrame } from "../../protocol/frames.js";
import { ops, type OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** Extra wait past an op's own timeout, for the relay to report its own timeout first. */
export const REPLY_MARGIN_MS = 5_000;

/**
 * How long a change the relay STARTED is waited for (ms). Once started it is the relay's job: it
 * waits for a process slot (relay/ops/limiter.ts), runs each command under that command's own
 * timeout, and always sends its end (or, restarted, says it lost it: `rebind`). So its end is not
 * timed from when it was sent (a burst of changes queues on the relay far past one op's timeout);
 * this only bounds a relay that stays connected and never ends a job it started.
 */
export const STARTED_CHANGE_CEILING_MS = 2 * 60 * 60 * 1000;

/**
 * How long (ms), and how many, of the changes that ended here are remembered with their outcome in
 * memory: as long as the relay keeps an ended change's output for a late viewer (ENDED_KEEP_MS in
 * relay/ops/jobs.ts), so a viewer who attaches after the end (its own starter, a second tab) is told
 * how it ended, not sent to history (which has nothing of a change that failed before any command).
 */
export const RECENT_ENDS_MS = 60_000;
export const RECENT_ENDS_KEEP = 100;

/** How asking for a change to start ended: it runs now (whoever watches), or it never started. */
export type StartOutcome = { kind: "started"; opId: string } | Exclude<Outcome<OpName>, { kind: "ok" }>;

/** One op sent to the relay whose end the hub still waits for. */
export interface PendingOp {
  op: OpName;
  args: Record<string, unknown>;
  /** The connection it was sent on (re-bound when a started change outlives a reconnect). */
  conn: string;
  /** A streaming read's live output; `skipped`: lines the relay left out before it (a burst bigger than a page shows). */
  onChunk?: (stream: "stdout" | "stderr", data: string, skipped: number) => void | Promise<void>;
  /** A change: told "started" once the relay accepted it, or why it never started. */
  onStarted?: (started: StartOutcome) => void;
  /** The relay accepted this change: it runs to its end even if the link drops meanwhile. */
  started?: boolean;
}

interface Entry extends PendingOp {
  resolve: (o: Outcome<OpName>) => void;
  /** When it ends unanswered (ms since epoch), and how long that was from when it was set (ms). */
  deadline: number;
  waitMs: number;
  /** Run when the op's deadline passes, before it ends (e.g. to cancel a read). */
  onTimeout: () => void;
}

/**
 * The ops one HostHub has sent and waits for, by op id: each ends exactly once — its result, its
 * timeout, the connection dropping before a read (or an unstarted change) answered, or a relay that
 * came back without it. `onSettled` sees every end first (the hub's read cache learns from it).
 */
export class PendingOps {
  private readonly byId = new Map<string, Entry>();
  /**
   * One timer for every op's deadline, set for the earliest: a timer per op (and another once a
   * change started) cost more of an op's CPU in workerd than signing it. An op that ends leaves the
   * timer alone (the last one clears it); when it fires it ends what is due and is set for the next.
   */
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  /** Changes that ended lately, oldest first: their outcome and when (see RECENT_ENDS_MS). */
  private readonly recent = new Map<string, { outcome: Outcome<OpName>; at: number }>();

  constructor(
    private readonly onSettled: (op: PendingOp, outcome: Outcome<OpName>, id: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Wait for op `id`'s end: past its timeout plus REPLY_MARGIN_MS a change is "outcome unknown" (it
   * may have run; never retried) and a read "timeout"; `onTimeout` runs first (e.g. to cancel a read).
   */
  wait<N extends OpName>(id: string, op: PendingOp, onTimeout: () => void): Promise<Outcome<N>> {
    const waitMs = ops[op.op].timeoutMs + REPLY_MARGIN_MS;
    return new Promise<Outcome<N>>((resolve) => {
      this.byId.set(id, { ...op, resolve: resolve as (o: Outcome<OpName>) => void, deadline: this.now() + waitMs, waitMs, onTimeout });
      this.arm();
    });
  }

  /** Set the one timer for the earliest deadline, unless it is set for that or earlier already. */
  private arm(): void {
    let next = Infinity;
    for (const e of this.byId.values()) next = Math.min(next, e.deadline);
    if (next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = next === Infinity ? null : setTimeout(() => this.due(), Math.max(1, next - this.now()));
  }

  /** The timer fired: each op past its deadline ends, a change as "outcome unknown" (it may have run; never retried), a read as "timeout". */
  private due(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    for (const [id, e] of [...this.byId]) {
      if (e.deadline > now || this.byId.get(id) !== e) continue;
      e.onTimeout();
      const s = Math.round(e.waitMs / 1000);
      this.settle(
        id,
        ops[e.op].mutates
          ? { kind: "unknown", message: `no reply from the host within ${s} s: the change may or may not have happened; see history` }
          : { kind: "timeout", message: `the host did not answer within ${s} s` },
      );
    }
    this.arm();
  }

  get(id: string): PendingOp | undefined {
    return this.byId.get(id);
  }

  /**
   * The relay accepted change `id`: from now on its end is the relay's to send (STARTED_CHANGE_CEILING_MS).
   * Told once: its "started" frame and its result (which names its job too) may both say so.
   */
  started(id: string): void {
    const p = this.byId.get(id);
    if (!p || p.started) return;
    // Later than its first deadline: the timer, set for that or earlier, finds the new one when it fires.
    p.deadline = this.now() + STARTED_CHANGE_CEILING_MS;
    p.waitMs = STARTED_CHANGE_CEILING_MS;
    p.started = true;
    p.onStarted?.({ kind: "started", opId: id });
  }

  settle(id: string, outcome: Outcome<OpName>): void {
    const p = this.byId.get(id);
    if (!p) return;
    this.byId.delete(id);
    // Nothing left to wait for: no timer keeps the object from hibernating.
    if (this.byId.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.timerAt = Infinity;
    }
    if (ops[p.op].mutates) this.ended(id, outcome);
    this.onSettled(p, outcome, id);
    if (outcome.kind !== "ok") p.onStarted?.(outcome);
    p.resolve(outcome);
  }

  /** Change `id` ended with `outcome` (also one nobody here waited for any more: a late result). */
  ended(id: string, outcome: Outcome<OpName>): void {
    this.recent.delete(id);
    this.recent.set(id, { outcome, at: this.now() });
    this.prune();
  }

  /** How change `id` ended, when it ended here within RECENT_ENDS_MS; undefined otherwise. */
  endedRecently(id: string): Outcome<OpName> | undefined {
    this.prune();
    return this.recent.get(id)?.outcome;
  }

  private prune(): void {
    const oldest = this.now() - RECENT_ENDS_MS;
    for (const [id, e] of this.recent) {
      if (e.at >= oldest && this.recent.size <= RECENT_ENDS_KEEP) break;
      this.recent.delete(id);
    }
  }

  /** Connection `conn` dropped: every op on it that had not started as a change ends now. */
  dropped(conn: string | undefined): void {
    if (!conn) return;
    for (const [id, p] of this.byId) {
      // A started change keeps running on the host; the relay sends its result when it is back.
      if (p.conn !== conn || p.started) continue;
      this.settle(
        id,
        ops[p.op].mutates
          ? { kind: "unknown", message: "the connection to the host dropped before it answered: the change may or may not have happened; see history" }
          : { kind: "offline", message: "the connection to the host dropped before it answered" },
      );
    }
  }

  /**
   * A relay said hello on connection `conn`, naming the changes whose end is still to come
   * (`known`; null from a relay too old to say). Started changes it names move to `conn`; those it
   * does not were lost with a relay that died, and end as "outcome unknown" (returned, for their viewers).
   */
  rebind(
    conn: string,
    known: ReadonlySet<string> | null,
    why = "the relay restarted while this change ran, so how it ended is not known: history marks it interrupted",
  ): string[] {
    const lost: string[] = [];
    for (const [id, p] of this.byId) {
      if (!p.started) continue;
      if (known && !known.has(id)) lost.push(id);
      else p.conn = conn;
    }
    for (const id of lost) this.settle(id, { kind: "unknown", message: why });
    return lost;
  }
}

/**
 * How a result frame ends its op: the relay's error, or its result checked against the op's result
 * schema (a reply that does not match is the relay's bug, "internal"). Without `op` (nobody waits
 * for it any more) the result is passed on unchecked, to viewers only.
 */
export function outcomeOf(frame: ResultFrame, op: OpName | undefined): Outcome<OpName> {
  if (!frame.ok) {
    const { code, message, opId } = frame.error;
    return { kind: "error", code, message, ...(opId ? { opId } : {}) };
  }
  if (!op) return { kind: "ok", result: frame.result } as Outcome<OpName>;
  const result = ops[op].result.safeParse(frame.result);
  return result.success
    ? ({ kind: "ok", result: result.data } as Outcome<OpName>)
    : { kind: "error", code: "internal", message: "the relay's reply did not match the protocol" };
}
