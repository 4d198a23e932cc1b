import type { AttemptVerdict } from "./attempts.js";

/** Token checks (`/relay/check`, what `docklight-relay doctor` asks) allowed per client IP within the window. */
export const MAX_CHECKS_PER_IP = 20;
/** Token checks allowed per host id within the window, from every address together. */
export const MAX_CHECKS_PER_HOST = 60;
export const CHECK_WINDOW_MS = 15 * 60 * 1000;

/**
 * Limits on the relay-token check, counted exactly in the guard's SQLite (sliding window), per
 * client IP and per host id (the id as asked, known or not): the check answers yes or no to a
 * token, so unlimited it would be a guessing oracle. A doctor run asks once; an operator trying
 * again and again stays far below the limits. Every check counts, before the token is looked at.
 */
export class CheckLimits {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS relay_checks (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS relay_checks_key_at ON relay_checks (key, at);
    `);
  }

  /** Counts one check by `ip` for `host`, or refuses it (nothing counted) while a limit applies. No `await` inside. */
  begin(ip: string, host: string, now: number): AttemptVerdict {
    this.sql.exec("DELETE FROM relay_checks WHERE at <= ?", now - CHECK_WINDOW_MS);
    const keys = [
      [`ip:${ip}`, MAX_CHECKS_PER_IP],
      [`host:${host}`, MAX_CHECKS_PER_HOST],
    ] as const;
    let freeAt = 0;
    for (const [key, limit] of keys) {
      const ats = this.sql
        .exec<{ at: number }>("SELECT at FROM relay_checks WHERE key = ? ORDER BY at ASC", key)
        .toArray()
        .map((r) => r.at);
      if (ats.length >= limit) freeAt = Math.max(freeAt, ats[ats.length - limit]! + CHECK_WINDOW_MS);
    }
    if (freeAt > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    for (const [key] of keys) this.sql.exec("INSERT INTO relay_checks (key, at) VALUES (?, ?)", key, now);
    return { ok: true };
  }
}
