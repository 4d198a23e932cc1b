/** Sign-in attempts allowed per client IP within the window. */
export const MAX_FAILURES_PER_IP = 5;
/** Sign-in attempts allowed per known device (a valid device cookie) within the window. */
export const MAX_FAILURES_PER_DEVICE = 10;
/** Attempts from everyone together within the window before unknown browsers are slowed. */
export const MAX_FAILURES_GLOBAL = 100;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Over the global ceiling, unknown browsers share one attempt per this interval. */
export const SLOWED_INTERVAL_MS = 15 * 1000;

export type AttemptVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The brute-force limits of the sign-in, counted exactly in the guard's SQLite (sliding window):
 * - per client IP: MAX_FAILURES_PER_IP, for every browser;
 * - per known device: MAX_FAILURES_PER_DEVICE (a stolen device cookie is still capped);
 * - global, unknown browsers only: past MAX_FAILURES_GLOBAL they are slowed to one attempt per
 *   SLOWED_INTERVAL_MS between them, never refused outright. A browser with a device cookie is not
 *   subject to it, so attempts spread over many addresses cannot lock the admin out.
 * Every attempt counts until a full sign-in from that IP or device clears it.
 */
export class AttemptLimits {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      DROP TABLE IF EXISTS failures;
      CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, ip TEXT NOT NULL, device TEXT, at INTEGER NOT NULL,
        slowed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS attempts_ip_at ON attempts (ip, at);
      CREATE INDEX IF NOT EXISTS attempts_device_at ON attempts (device, at);
      CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
    `);
  }

  /** When the oldest of the last `limit` attempts leaves the window, or 0 if under the limit. */
  private freeAt(ats: number[], limit: number): number {
    return ats.length >= limit ? ats[ats.length - limit]! + FAILURE_WINDOW_MS : 0;
  }

  /**
   * Counts one attempt before any secret is checked, so concurrent guesses cannot slip past a
   * limit; refused (nothing counted) when a limit applies. `device` is the id from a valid device
   * cookie, or null for an unknown browser. No `await`: the read and the write are one step.
   */
  begin(ip: string, device: string | null, now: number): AttemptVerdict {
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - FAILURE_WINDOW_MS);
    const ats = (column: "ip" | "device", value: string) =>
      this.sql
        .exec<{ at: number }>(`SELECT at FROM attempts WHERE ${column} = ? ORDER BY at ASC`, value)
        .toArray()
        .map((r) => r.at);
    let freeAt = this.freeAt(ats("ip", ip), MAX_FAILURES_PER_IP);
    let slowed = false;
    if (device !== null) {
      freeAt = Math.max(freeAt, this.freeAt(ats("device", device), MAX_FAILURES_PER_DEVICE));
    } else if (this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts").one().n >= MAX_FAILURES_GLOBAL) {
      slowed = true;
      const last = this.sql.exec<{ at: number | null }>("SELECT MAX(at) AS at FROM attempts WHERE slowed = 1").one().at;
      if (last !== null && now < last + SLOWED_INTERVAL_MS) freeAt = Math.max(freeAt, last + SLOWED_INTERVAL_MS);
    }
    if (freeAt > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
    this.sql.exec("INSERT INTO attempts (ip, device, at, slowed) VALUES (?, ?, ?, ?)", ip, device, now, slowed ? 1 : 0);
    return { ok: true };
  }

  /** Attempts counted in the window for one IP. */
  countForIp(ip: string, now: number): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts WHERE ip = ? AND at > ?", ip, now - FAILURE_WINDOW_MS).one().n;
  }

  /** A full sign-in succeeded: that IP's and that device's counts start again. */
  clear(ip: string, device: string | null): void {
    this.sql.exec("DELETE FROM attempts WHERE ip = ? OR (device IS NOT NULL AND device = ?)", ip, device);
  }
}
