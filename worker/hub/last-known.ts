import { appOf, ops, type OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

/** How many reads a host's last known state keeps (the newest; each op and arguments once). */
export const LAST_KNOWN_ROWS = 300;
/** A result bigger than this (characters of JSON) is not kept: a row holds at most 2 MB. */
const LAST_KNOWN_MAX_CHARS = 512 * 1024;

/** Reads whose last result means nothing once the host is gone: what runs now, exports, live output. */
const NOT_KEPT: ReadonlySet<string> = new Set(["changes.running", "history.export"]);

/**
 * Whether a read's last result is kept as the host's last known state: every read but those that
 * stream, hold or reveal a secret (they stay in memory only), show logs, or only mean something
 * while the host answers (NOT_KEPT).
 */
export function keptWhenOffline(op: OpName): boolean {
  const spec = ops[op];
  return !spec.mutates && !spec.secret && !spec.streams && !spec.access.reveals && spec.access.area !== "logs" && !NOT_KEPT.has(op);
}

/** A result kept as last read: the value and when it was read from the host (ms since epoch). */
export interface KnownRead {
  value: unknown;
  at: number;
}

/**
 * The last result the host gave for each read (op and arguments), kept in the HostHub's SQLite so
 * an edge restart, a deploy of the edge or a hibernating object keeps it. Unlike the read cache it
 * is never emptied when the relay reconnects or a change makes a read stale: it is shown only
 * while the host is offline, marked with the time it was read (pages say "as of T, host offline"),
 * and overwritten by the next read. Reads holding secrets never come here (keptWhenOffline).
 */
export class LastKnown {
  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS last_known (
        key TEXT PRIMARY KEY, op TEXT NOT NULL, app TEXT, at INTEGER NOT NULL, value TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS last_known_at ON last_known (at);
    `);
  }

  private static key(op: OpName, args: Record<string, unknown>): string {
    return `${op} ${JSON.stringify(args, Object.keys(args).sort())}`;
  }

  /** Keep `value`, just read from the host, as the last known result of `op` with `args`. */
  remember(op: OpName, args: Record<string, unknown>, value: unknown): void {
    if (!keptWhenOffline(op)) return;
    const json = JSON.stringify(value);
    if (json === undefined || json.length > LAST_KNOWN_MAX_CHARS) return;
    this.sql.exec(
      "INSERT OR REPLACE INTO last_known (key, op, app, at, value) VALUES (?, ?, ?, ?, ?)",
      LastKnown.key(op, args),
      op,
      appOf(args),
      this.now(),
      json,
    );
    // The oldest go first once there are more than LAST_KNOWN_ROWS (history filters each make a key).
    this.sql.exec("DELETE FROM last_known WHERE key IN (SELECT key FROM last_known ORDER BY at DESC LIMIT -1 OFFSET ?)", LAST_KNOWN_ROWS);
  }

  /** The last result the host gave for `op` with `args`, and when; undefined when none is kept. */
  recall(op: OpName, args: Record<string, unknown>): KnownRead | undefined {
    if (!keptWhenOffline(op)) return undefined;
    const row = this.sql.exec<{ at: number; value: string }>("SELECT at, value FROM last_known WHERE key = ?", LastKnown.key(op, args)).toArray()[0];
    return row ? { at: row.at, value: JSON.parse(row.value) as unknown } : undefined;
  }

  /** `outcome`, just read from the host: kept when it succeeded (see `remember`). */
  kept<N extends OpName>(op: N, args: Record<string, unknown>, outcome: Outcome<N>): Outcome<N> {
    if (outcome.kind === "ok") this.remember(op, args, outcome.result);
    return outcome;
  }

  /** The host is offline: its last known answer to this read, `asOf` when it was read; else `offline` itself. */
  answer<N extends OpName>(op: N, args: Record<string, unknown>, offline: Outcome<N>): Outcome<N> {
    const known = this.recall(op, args);
    return known ? ({ kind: "ok", result: known.value, asOf: known.at } as Outcome<N>) : offline;
  }
}
