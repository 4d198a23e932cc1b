import type { OpName } from "../../protocol/ops.js";

/** One stored read result: the op, the app it named (null for none), when it was stored (ms since epoch), the result. */
export interface CachedRead {
  op: OpName;
  app: string | null;
  at: number;
  value: unknown;
}

/**
 * Where a ReadCache keeps its results beyond the object's memory, so they outlive its hibernation
 * (an idle hub is evicted from memory within seconds; its storage stays).
 */
export interface CacheStore {
  get(key: string): CachedRead | undefined;
  put(key: string, entry: CachedRead): void;
  /** The key, op and app of every stored result (to find what a change makes stale). */
  scopes(): Array<{ key: string; op: OpName; app: string | null }>;
  delete(keys: string[]): void;
  /** Forget every result stored at or before `before` (ms since epoch). */
  prune(before: number): void;
}

/** A CacheStore in memory (tests; a hub without storage). */
export class MemoryCacheStore implements CacheStore {
  readonly rows = new Map<string, CachedRead>();
  get(key: string) {
    return this.rows.get(key);
  }
  put(key: string, entry: CachedRead) {
    this.rows.set(key, entry);
  }
  scopes() {
    return [...this.rows].map(([key, e]) => ({ key, op: e.op, app: e.app }));
  }
  delete(keys: string[]) {
    for (const k of keys) this.rows.delete(k);
  }
  prune(before: number) {
    for (const [k, e] of this.rows) if (e.at <= before) this.rows.delete(k);
  }
}
