import { freshMsOf, invalidatesOf, isChangeOp, type OpName } from "../../protocol/ops.js";

interface Entry {
  op: OpName;
  /** The app the read named, or null for a host-wide read (a list). */
  app: string | null;
  /** When the result was stored (ms since epoch). */
  at: number;
  value: unknown;
}

/**
 * A short-lived cache of read results for one host, kept in its HostHub's memory (lost when the
 * object hibernates, which is fine for seconds-long entries). Each op's declaration says how long
 * its result stays fresh (`freshMs`, 0 = never cached) and what a change makes stale
 * (`invalidates`), see protocol/ops/spec.ts. Entries keep when they were stored, so a result past
 * its freshness could later be served while it is fetched again.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  static cacheable(op: OpName): boolean {
    return freshMsOf(op) > 0;
  }

  private static key(op: OpName, args: Record<string, unknown>): string {
    return `${op} ${JSON.stringify(args, Object.keys(args).sort())}`;
  }

  /** The stored result while it is fresh, else undefined. */
  get(op: OpName, args: Record<string, unknown>): unknown {
    const key = ReadCache.key(op, args);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at >= freshMsOf(hit.op)) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(op: OpName, args: Record<string, unknown>, value: unknown): void {
    if (!ReadCache.cacheable(op)) return;
    const app = typeof args.app === "string" ? args.app : null;
    this.entries.set(ReadCache.key(op, args), { op, app, at: this.now(), value });
  }

  /**
   * After a successful (or possibly successful) change: forget what it made stale, as the change
   * op declares. Without an op, the "app" scope: the named app's reads and every host-wide read.
   */
  invalidate(args: Record<string, unknown>, op?: OpName): void {
    const scope = op !== undefined && isChangeOp(op) ? invalidatesOf(op) : "app";
    const app = scope === "app" && typeof args.app === "string" ? args.app : null;
    for (const [key, entry] of this.entries) {
      if (app === null || entry.app === null || entry.app === app) this.entries.delete(key);
    }
  }

  /**
   * An op ended: a read's result is kept (if the op is cacheable), a change that did (or may have)
   * happened makes its declared scope stale.
   */
  learn(op: OpName, args: Record<string, unknown>, outcome: { kind: string; result?: unknown }): void {
    if (isChangeOp(op)) {
      if (outcome.kind === "ok" || outcome.kind === "unknown") this.invalidate(args, op);
    } else if (outcome.kind === "ok") this.set(op, args, outcome.result);
  }

  get size(): number {
    return this.entries.size;
  }
}
