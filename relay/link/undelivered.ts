import type { ResultFrame } from "../../protocol/frames.js";

/** How many results of changes are kept while the link is down (the oldest go first). */
export const UNDELIVERED_MAX = 500;

/**
 * Results of changes that ended while the link to the edge was down. They go out, oldest first,
 * as soon as the relay is connected again, so the edge (and every viewer of the change) learns how
 * it ended instead of "outcome unknown". Bounded: past UNDELIVERED_MAX the oldest are dropped
 * (history still has them).
 */
export class UndeliveredResults {
  private readonly results: ResultFrame[] = [];

  keep(result: ResultFrame): void {
    this.results.push(result);
    if (this.results.length > UNDELIVERED_MAX) this.results.shift();
  }

  /** Send what is kept, in order, until `send` says the link is down again. */
  drain(send: (r: ResultFrame) => boolean): void {
    while (this.results.length > 0 && send(this.results[0]!)) this.results.shift();
  }

  /** The op ids of the results kept. */
  ids(): string[] {
    return this.results.map((r) => r.id);
  }

  get size(): number {
    return this.results.length;
  }
}
