import type { AlertKind, Condition } from "./conditions.js";
import type { Alert, Notice } from "./model.js";

export type { Alert, Notice } from "./model.js";

/** How many resolved alerts a host keeps (the newest). */
export const RESOLVED_KEPT = 200;

type Row = {
  id: number;
  key: string;
  kind: string;
  subject: string;
  message: string;
  opened_at: number;
  acked_at: number | null;
  acked_by: string | null;
  resolved_at: number | null;
};

const toAlert = (r: Row): Alert => ({
  id: r.id,
  key: r.key,
  kind: r.kind as AlertKind,
  subject: r.subject,
  message: r.message,
  openedAt: r.opened_at,
  ackedAt: r.acked_at,
  ackedBy: r.acked_by,
  resolvedAt: r.resolved_at,
});

/**
 * One host's alerts in its HostHub's SQLite, and what it remembers between checks (the apps seen
 * running). At most one alert per key is open; each owes exactly one "opened" notice and, once it
 * resolves, one "resolved" notice: a notice is claimed (marked sent) in the same step that finds
 * it, so two checks at once never both send it.
 */
export class AlertStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, message TEXT NOT NULL,
        opened_at INTEGER NOT NULL, acked_at INTEGER, acked_by TEXT, resolved_at INTEGER,
        open_sent INTEGER NOT NULL DEFAULT 0, resolved_sent INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_key ON alerts (key) WHERE resolved_at IS NULL;
      CREATE TABLE IF NOT EXISTS alert_memory (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  /** The alerts open now (acknowledged or not), oldest first. */
  open(): Alert[] {
    return this.sql.exec<Row>("SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at, id").toArray().map(toAlert);
  }

  /** Open alerts first (oldest first), then the `resolved` newest resolved ones. */
  list(resolved = 20): Alert[] {
    const done = this.sql.exec<Row>("SELECT * FROM alerts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC LIMIT ?", resolved).toArray();
    return [...this.open(), ...done.map(toAlert)];
  }

  /**
   * Bring the alerts in line with a check: each condition without an open alert opens one (an
   * open one takes the condition's newer message); each open alert of a `judged` kind whose
   * condition no longer holds resolves at `now`. Alerts of kinds not judged this time stay as they are.
   */
  sync(conditions: readonly Condition[], judged: readonly AlertKind[], now: number): void {
    const holding = new Set(conditions.map((c) => c.key));
    for (const c of conditions) {
      const updated = this.sql.exec("UPDATE alerts SET message = ? WHERE key = ? AND resolved_at IS NULL", c.message, c.key).rowsWritten;
      if (updated === 0)
        this.sql.exec("INSERT INTO alerts (key, kind, subject, message, opened_at) VALUES (?, ?, ?, ?, ?)", c.key, c.kind, c.subject, c.message, now);
    }
    for (const a of this.open()) if (judged.includes(a.kind) && !holding.has(a.key)) this.sql.exec("UPDATE alerts SET resolved_at = ? WHERE id = ?", now, a.id);
    this.sql.exec(
      "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC LIMIT -1 OFFSET ?)",
      RESOLVED_KEPT,
    );
  }

  /**
   * The notices owed now, each claimed as it is returned (so sent at most once): openings not yet
   * claimed, and resolutions. Each check claims right after it syncs, so an alert's opening is
   * always claimed before its resolution. With no channel set the caller drops them: nothing is
   * owed to a channel added later.
   */
  claimNotices(): Notice[] {
    const opened = this.sql.exec<Row>("UPDATE alerts SET open_sent = 1 WHERE open_sent = 0 AND resolved_at IS NULL RETURNING *").toArray();
    const resolved = this.sql
      .exec<Row>("UPDATE alerts SET resolved_sent = 1, open_sent = 1 WHERE resolved_at IS NOT NULL AND resolved_sent = 0 RETURNING *")
      .toArray();
    return [
      ...opened.map((r) => ({ event: "opened" as const, alert: toAlert(r) })),
      ...resolved.map((r) => ({ event: "resolved" as const, alert: toAlert(r) })),
    ];
  }

  /** Acknowledge open alert `id` (it stays open until its condition clears); false when it is not open. */
  ack(id: number, by: string, now: number): boolean {
    return this.sql.exec("UPDATE alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND resolved_at IS NULL AND acked_at IS NULL", now, by, id).rowsWritten > 0;
  }

  get(id: number): Alert | null {
    const r = this.sql.exec<Row>("SELECT * FROM alerts WHERE id = ?", id).toArray()[0];
    return r ? toAlert(r) : null;
  }

  /** A remembered value between checks (JSON), or `fallback`. */
  recall<T>(name: string, fallback: T): T {
    const r = this.sql.exec<{ value: string }>("SELECT value FROM alert_memory WHERE name = ?", name).toArray()[0];
    return r ? (JSON.parse(r.value) as T) : fallback;
  }

  remember(name: string, value: unknown): void {
    this.sql.exec("INSERT OR REPLACE INTO alert_memory (name, value) VALUES (?, ?)", name, JSON.stringify(value));
  }
}
