/** One live session as its user sees it on the Account page (and the owner on Users). */
export interface SessionRecord {
  jti: string;
  user: string;
  /** ms since epoch */
  at: number;
  /** Seconds since epoch, as the token's `exp`. */
  exp: number;
  ip: string;
  userAgent: string;
}

/**
 * The sessions issued since users came (id, user, when, from where), so a user can list and end
 * their own, and suspending or removing a user ends all of theirs. Ending one adds it to the
 * guard's `revoked` table (checked on every request); rows leave when their token expires.
 */
export class SessionStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly revoke: (jti: string, exp: number) => void,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        jti TEXT PRIMARY KEY, user TEXT NOT NULL, at INTEGER NOT NULL, exp INTEGER NOT NULL,
        ip TEXT NOT NULL, user_agent TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
    `);
  }

  started(s: SessionRecord): void {
    this.sql.exec("DELETE FROM sessions WHERE exp < ?", Math.floor(Date.now() / 1000));
    this.sql.exec(
      "INSERT OR REPLACE INTO sessions (jti, user, at, exp, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
      s.jti,
      s.user,
      s.at,
      s.exp,
      s.ip.slice(0, 64),
      s.userAgent.slice(0, 256),
    );
  }

  /** `user`'s live sessions, newest first. */
  of(user: string): SessionRecord[] {
    return this.sql
      .exec<{ jti: string; user: string; at: number; exp: number; ip: string; user_agent: string }>(
        "SELECT * FROM sessions WHERE user = ? AND exp >= ? ORDER BY at DESC LIMIT 100",
        user,
        Math.floor(Date.now() / 1000),
      )
      .toArray()
      .map((r) => ({ jti: r.jti, user: r.user, at: r.at, exp: r.exp, ip: r.ip, userAgent: r.user_agent }));
  }

  /** Ends `user`'s session `jti` (another user's id ends nothing); true when there was one. */
  end(user: string, jti: string): boolean {
    const row = this.sql.exec<{ exp: number }>("SELECT exp FROM sessions WHERE jti = ? AND user = ?", jti, user).toArray()[0];
    if (!row) return false;
    this.revoke(jti, row.exp);
    this.sql.exec("DELETE FROM sessions WHERE jti = ?", jti);
    return true;
  }

  /** Ends every session of `user` (suspended, removed); returns how many. */
  endAll(user: string): number {
    const rows = this.sql.exec<{ jti: string; exp: number }>("SELECT jti, exp FROM sessions WHERE user = ?", user).toArray();
    for (const r of rows) this.revoke(r.jti, r.exp);
    this.sql.exec("DELETE FROM sessions WHERE user = ?", user);
    return rows.length;
  }
}
