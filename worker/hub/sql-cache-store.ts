import type { OpName } from "../../protocol/ops.js";
import type { CachedRead, CacheStore } from "./read-cache-store.js";

/**
 * A CacheStore in the HostHub's own SQLite (Durable Object storage): one row per result, its value
 * as JSON. Results holding secrets never come here (see ReadCache).
 */
export class SqlCacheStore implements CacheStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS read_cache (
        key TEXT PRIMARY KEY, op TEXT NOT NULL, app TEXT, at INTEGER NOT NULL, value TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS read_cache_at ON read_cache (at);
    `);
  }

  get(key: string): CachedRead | undefined {
    const row = this.sql
      .exec<{ op: string; app: string | null; at: number; value: string }>("SELECT op, app, at, value FROM read_cache WHERE key = ?", key)
      .toArray()[0];
    return row ? { op: row.op as OpName, app: row.app, at: row.at, value: JSON.parse(row.value) as unknown } : undefined;
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
  }

  scopes(): Array<{ key: string; op: OpName; app: string | null }> {
    return this.sql.exec<{ key: string; op: string; app: string | null }>("SELECT key, op, app FROM read_cache").toArray() as Array<{
      key: string;
      op: OpName;
      app: string | null;
    }>;
  }

  delete(keys: string[]): void {
    for (const key of keys) this.sql.exec("DELETE FROM read_cache WHERE key = ?", key);
  }

  prune(before: number): void {
    this.sql.exec("DELETE FROM read_cache WHERE at <= ?", before);
  }
}
