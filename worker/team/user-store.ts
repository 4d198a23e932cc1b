import type { Role } from "../../protocol/policy.js";
import type { Grant, PolicyUser } from "./principal.js";
import { FIRST_OWNER_ID, INVITE_TTL_MS, type TeamRefusal, type TeamUser, type UserStatus } from "./users.js";

type UserRow = { id: string; email: string; role: string; status: string; password_hash: string | null; created_at: number };
type GrantRow = { user_id: string; host: string; app: string; host_root: number; reveal: number };

/**
 * The team's users, their roles and grants, and invitations, in the Team object's SQLite. Every
 * check-and-write runs without an `await` between read and write, so two owners acting at once
 * cannot both pass the last-owner check. The first owner is seeded as "admin" (the account of
 * DOCKLIGHT_PASSWORD_HASH). Passwords are kept hashed (worker/auth/password.ts), invitation links
 * as SHA-256 only.
 */
export class UserStore {
  constructor(
    private readonly sql: SqlStorage,
    /** A user is being removed: drop what other stores keep for them (passkeys, API tokens). */
    private readonly onRemove: (id: string) => void,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, status TEXT NOT NULL,
        password_hash TEXT, created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS grants (
        user_id TEXT NOT NULL, host TEXT NOT NULL, app TEXT NOT NULL DEFAULT '',
        host_root INTEGER NOT NULL, reveal INTEGER NOT NULL, PRIMARY KEY (user_id, host, app)
      );
      CREATE TABLE IF NOT EXISTS invites (
        hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER
      );
    `);
    sql.exec(
      "INSERT OR IGNORE INTO users (id, email, role, status, password_hash, created_at) VALUES (?, 'admin', 'owner', 'active', NULL, ?)",
      FIRST_OWNER_ID,
      Date.now(),
    );
  }

  /** Every user, the first owner first, then by when they were invited. */
  list(): TeamUser[] {
    return this.sql
      .exec<UserRow>("SELECT * FROM users ORDER BY created_at, id")
      .toArray()
      .map((r) => this.toUser(r));
  }

  /** One user, or null. */
  get(id: string): TeamUser | null {
    const row = this.sql.exec<UserRow>("SELECT * FROM users WHERE id = ?", id).toArray()[0];
    return row ? this.toUser(row) : null;
  }

  /** The user a session belongs to while they are active (suspended, removed or unknown: null). */
  active(id: string): PolicyUser | null {
    const u = this.get(id);
    return u && u.status === "active" ? { id: u.id, name: u.name, role: u.role, grants: u.grants } : null;
  }

  /** For signing in by e-mail: the active user's id and password hash, or null. */
  credentials(email: string): { id: string; passwordHash: string | null } | null {
    const row = this.sql.exec<UserRow>("SELECT * FROM users WHERE email = ? AND status = 'active'", email).toArray()[0];
    return row ? { id: row.id, passwordHash: row.password_hash } : null;
  }

  /**
   * A sign-in by single sign-on (worker/sso/): the user whose e-mail an identity provider verified.
   * Active: signs in. Invited: becomes active (the provider proved the e-mail the owner invited; its
   * open links are spent) with no password. Suspended or unknown: refused. Never creates a user, so
   * no one becomes an owner by signing in.
   */
  ssoUser(email: string, now = Date.now()): { id: string } | TeamRefusal {
    const row = this.sql.exec<UserRow>("SELECT * FROM users WHERE email = ?", email).toArray()[0];
    if (!row) return { refused: `${email} has not been invited to this dashboard: ask its owner for an invitation` };
    if (row.status === "suspended") return { refused: `${email} is suspended` };
    if (row.status === "invited") {
      this.sql.exec("UPDATE invites SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now, row.id);
      this.sql.exec("UPDATE users SET status = 'active' WHERE id = ?", row.id);
    }
    return { id: row.id };
  }

  // ---- invitations ----

  /**
   * Invites `email` as `role`: a new user (status "invited") and a link token, returned once; only
   * its SHA-256 is kept. It works once, for INVITE_TTL_MS. Inviting someone again (still invited)
   * replaces their link; an e-mail that already has an account is refused.
   */
  invite(email: string, role: Role, tokenHash: string, now = Date.now()): { user: TeamUser; expiresAt: number } | TeamRefusal {
    const existing = this.sql.exec<UserRow>("SELECT * FROM users WHERE email = ?", email).toArray()[0];
    if (existing && existing.status !== "invited") return { refused: `email: ${email} already has an account` };
    const id = existing?.id ?? crypto.randomUUID();
    if (existing) {
      this.sql.exec("DELETE FROM invites WHERE user_id = ?", id);
      this.sql.exec("UPDATE users SET role = ? WHERE id = ?", role, id);
    } else {
      this.sql.exec("INSERT INTO users (id, email, role, status, password_hash, created_at) VALUES (?, ?, ?, 'invited', NULL, ?)", id, email, role, now);
    }
    const expiresAt = now + INVITE_TTL_MS;
    this.sql.exec("INSERT INTO invites (hash, user_id, expires_at, used_at) VALUES (?, ?, ?, NULL)", tokenHash, id, expiresAt);
    return { user: this.get(id)!, expiresAt };
  }

  /** Who a link is for while it still works, else why not (unknown, used, expired). */
  invitation(tokenHash: string, now = Date.now()): { email: string } | TeamRefusal {
    const inv = this.sql
      .exec<{ user_id: string; expires_at: number; used_at: number | null }>("SELECT user_id, expires_at, used_at FROM invites WHERE hash = ?", tokenHash)
      .toArray()[0];
    if (!inv) return { refused: "This invitation link is not valid. Ask the owner for a new one." };
    if (inv.used_at !== null) return { refused: "This invitation link was already used. Sign in, or ask the owner for a new one." };
    if (inv.expires_at <= now) return { refused: "This invitation link has expired. Ask the owner for a new one." };
    const user = this.get(inv.user_id);
    if (!user || user.status !== "invited") return { refused: "This invitation is no longer open." };
    return { email: user.email };
  }

  /** Accepts a link: it is spent, the user sets `passwordHash` and becomes active. Once only. */
  accept(tokenHash: string, passwordHash: string, now = Date.now()): { user: TeamUser } | TeamRefusal {
    const open = this.invitation(tokenHash, now);
    if ("refused" in open) return open;
    const inv = this.sql.exec<{ user_id: string }>("SELECT user_id FROM invites WHERE hash = ?", tokenHash).toArray()[0]!;
    this.sql.exec("UPDATE invites SET used_at = ? WHERE hash = ?", now, tokenHash);
    this.sql.exec("UPDATE users SET status = 'active', password_hash = ? WHERE id = ?", passwordHash, inv.user_id);
    return { user: this.get(inv.user_id)! };
  }

  // ---- changing users (the routes have checked the actor may manage users) ----

  /** Changes `id`'s role; the last active owner cannot stop being one. */
  setRole(id: string, role: Role): { user: TeamUser } | TeamRefusal {
    const u = this.get(id);
    if (!u) return { refused: "no such user" };
    if (u.role === "owner" && role !== "owner" && this.lastOwner(id)) return { refused: "This is the last owner: make another user owner first." };
    this.sql.exec("UPDATE users SET role = ? WHERE id = ?", role, id);
    return { user: this.get(id)! };
  }

  /** Suspends (`suspended` true) or reinstates `id`; the last active owner cannot be suspended. */
  setSuspended(id: string, suspended: boolean): { user: TeamUser } | TeamRefusal {
    const u = this.get(id);
    if (!u) return { refused: "no such user" };
    if (u.status === "invited") return { refused: "This user has not accepted their invitation yet: remove them instead." };
    if (suspended && u.role === "owner" && this.lastOwner(id)) return { refused: "This is the last owner: make another user owner first." };
    this.sql.exec("UPDATE users SET status = ? WHERE id = ?", (suspended ? "suspended" : "active") satisfies UserStatus, id);
    return { user: this.get(id)! };
  }

  /** Removes `id` with their grants and open links; the last active owner cannot be removed. */
  remove(id: string): { removed: TeamUser } | TeamRefusal {
    const u = this.get(id);
    if (!u) return { refused: "no such user" };
    if (u.role === "owner" && this.lastOwner(id)) return { refused: "This is the last owner: make another user owner first." };
    this.sql.exec("DELETE FROM grants WHERE user_id = ?", id);
    this.sql.exec("DELETE FROM invites WHERE user_id = ?", id);
    this.onRemove(id);
    this.sql.exec("DELETE FROM users WHERE id = ?", id);
    return { removed: u };
  }

  /** Grants `g` to `id` (replacing the same host/app grant). */
  grant(id: string, g: Grant): { user: TeamUser } | TeamRefusal {
    if (!this.get(id)) return { refused: "no such user" };
    this.sql.exec(
      "INSERT OR REPLACE INTO grants (user_id, host, app, host_root, reveal) VALUES (?, ?, ?, ?, ?)",
      id,
      g.host,
      g.app ?? "",
      g.app === null && g.hostRoot ? 1 : 0,
      g.reveal ? 1 : 0,
    );
    return { user: this.get(id)! };
  }

  /** Takes back `id`'s grant on `host` (`app` null: the whole-host grant). */
  revokeGrant(id: string, host: string, app: string | null): { user: TeamUser } | TeamRefusal {
    if (!this.get(id)) return { refused: "no such user" };
    this.sql.exec("DELETE FROM grants WHERE user_id = ? AND host = ? AND app = ?", id, host, app ?? "");
    return { user: this.get(id)! };
  }

  /** Whether `id` is the only active owner. */
  private lastOwner(id: string): boolean {
    const others = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'owner' AND status = 'active' AND id != ?", id).one().n;
    return others === 0;
  }

  private toUser(r: UserRow): TeamUser {
    const grants = this.sql
      .exec<GrantRow>("SELECT * FROM grants WHERE user_id = ? ORDER BY host, app", r.id)
      .toArray()
      .map((g) => ({ host: g.host, app: g.app === "" ? null : g.app, hostRoot: g.host_root === 1, reveal: g.reveal === 1 }));
    return {
      id: r.id,
      name: r.email,
      email: r.email,
      role: r.role as Role,
      status: r.status as UserStatus,
      grants,
      hasPassword: r.id === FIRST_OWNER_ID || r.password_hash !== null,
      createdAt: r.created_at,
    };
  }
}
