import type { OpName } from "../../protocol/ops.js";
import type { CachedRead, CacheStore } from "./read-cache-store.js";

type Scope = { op: OpName; app: string | null; at: number };

/**
 * A CacheStore in the HostHub's own SQLite (Durable Object storage): one row per result, its value
 * as JSON. Results holding secrets never come here (see ReadCache).
 *
 * Only this object writes its table, so what it holds is mirrored in memory: every row's key,
 * op, app and time, read once when the object wakes, and each value once read or written. A miss,
 * a hit, finding what a change made stale and a prune with nothing to drop then run no statement;
 * only writes reach SQLite (a woken object reads the values again, so the results outlive it).
 */
export class SqlCacheStore implements CacheStore {
  /** Every stored row but its value, read at the first use. */
  private index: Map<string, Scope> | null = null;
  /** The values of stored rows this object has read or written. */
  private readonly values = new Map<string, unknown>();

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS read_cache (
        key TEXT PRIMARY KEY, op TEXT NOT NULL, app TEXT, at INTEGER NOT NULL, value TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS read_cache_at ON read_cache (at);
    `);
  }

  private rows(): Map<string, Scope> {
    this.index ??= new Map(
      this.sql
        .exec<{ key: string; op: string; app: string | null; at: number }>("SELECT key, op, app, at FROM read_cache")
        .toArray()
        .map((r) => [r.key, { op: r.op as OpName, app: r.app, at: r.at }]),
    );
    return this.index;
  }

  get(key: string): CachedRead | undefined {
    const scope = this.rows().get(key);
    if (!scope) return undefined;
    if (!this.values.has(key)) {
      const row = this.sql.exec<{ value: string }>("SELECT value FROM read_cache WHERE key = ?", key).toArray()[0];
      if (!row) return undefined;
      this.values.set(key, JSON.parse(row.value) as unknown);
    }
    return { ...scope, value: this.values.get(key) };
  }

  put(key: string, entry: CachedRead): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO read_cache (key, op, app, at, value) VALUES (?, ?, ?, ?, ?)",
      key,
      entry.op,
      entry.app,
      entry.at,
      JSON.stringify(entry.value),
    );
    this.rows().set(key, { op: entry.op, app: entry.app, at: entry.at });
    this.values.set(key, entry.value);
  }

  scopes(): Array<{ key: string; op: OpName; app: string | null }> {
    return [...this.rows()].map(([key, s]) => ({ key, op: s.op, app: s.app }));
  }

  delete(keys: string[]): void {
    const rows = this.rows();
    for (const key of keys) {
      if (!rows.delete(key)) continue;
      this.values.delete(key);
      this.sql.exec("DELETE FROM read_cache WHERE key = ?", key);
    }
  }

  prune(before: number): void {
    const old = [...this.rows()].filter(([, s]) => s.at <= before).map(([key]) => key);
    if (old.length === 0) return;
    for (const key of old) {
      this.index!.delete(key);
      this.values.delete(key);
    }
    this.sql.exec("DELETE FROM read_cache WHERE at <= ?", before);
  }
}
