/** At most this many `dokku` processes run at once on the host. */
export const MAX_DOKKU_PROCESSES = 8;
/** Of those, this many are kept for reads: a burst of changes never blocks the pages. */
export const READ_SLOTS = 3;
/**
 * Live reads (`dokku logs -t`, one per open logs page) run as long as someone watches, so they
 * have their own bound beside the others: open logs pages never starve the reads pages need.
 */
export const MAX_LIVE_READS = 16;

/**
 * Bounds how many `dokku` processes the relay runs at once, however many ops arrive. Changes may
 * take at most `max - reservedForReads` slots, so a burst of changes never blocks the reads that
 * pages need; reads may take any free slot. Waiters are served first come, first served within
 * their kind. A waiter whose signal aborts leaves the queue. Live reads (log tails, which end only
 * when their viewer leaves) count apart: at most `maxLive` run, the next waits for one to end.
 */
export class ProcessLimiter {
  private running = { read: 0, change: 0, live: 0 };
  private readonly queue: Array<{ kind: "read" | "change" | "live"; grant: () => void }> = [];

  /**
   * @param max processes at once, in all (≥ 2)
   * @param reservedForReads slots changes may never take (≥ 1, < max)
   * @param maxLive live reads at once, apart from `max` (≥ 1)
   */
  constructor(
    readonly max: number,
    readonly reservedForReads: number,
    readonly maxLive = MAX_LIVE_READS,
  ) {
    if (!(maxLive >= 1)) throw new RangeError("need maxLive ≥ 1");
    if (!(max >= 2 && reservedForReads >= 1 && reservedForReads < max)) throw new RangeError("need max ≥ 2 and 1 ≤ reservedForReads < max");
  }

  /** Processes running now, by kind. */
  get inUse(): { read: number; change: number; live: number } {
    return { ...this.running };
  }

  /** Waiters not yet granted a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Wait for a slot. Resolves with the function that gives it back (call it exactly once);
   * rejects with the signal's reason if it aborts first.
   */
  acquire(kind: "read" | "change" | "live", signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.running[kind]--;
        this.pump();
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.running[kind]++;
        resolve(release);
      };
      const waiter = { kind, grant };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason ?? new Error("aborted"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  private fits(kind: "read" | "change" | "live"): boolean {
    if (kind === "live") return this.running.live < this.maxLive;
    const total = this.running.read + this.running.change;
    if (total >= this.max) return false;
    return kind === "read" || this.running.change < this.max - this.reservedForReads;
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length;) {
      const w = this.queue[i]!;
      if (this.fits(w.kind)) {
        this.queue.splice(i, 1);
        w.grant();
      } else i++;
    }
  }
}
