import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MIGRATIONS_DIR } from "../../cli/artifact.js";
import * as schema from "./schema.js";

export type RelayDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** SQLite's page cache for the relay's database, in KiB. */
export const PAGE_CACHE_KIB = 2048;

/** Open (creating if needed) the relay's SQLite file in WAL mode and apply pending migrations. */
export function openDb(path: string): RelayDb {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000
  // in its deps/defines.gypi), which the relay's RSS grew into as history grew (about 1.5 MiB per
  // 10,000 ops, bench:relay-artifact). 2 MiB keeps the hot pages (the newest rows, the indexes); the
  // rest comes from the kernel's file cache.
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db as RelayDb;
}
