import { DurableObject } from "cloudflare:workers";
import type { Role } from "../../protocol/policy.js";
import type { ChainLink } from "../../protocol/ops/history-chain.js";
import type { AuditFilter, AuditRow, NewAuditRow } from "../audit/events.js";
import { AuditStore } from "../audit/store.js";
import type { Env } from "../env.js";
import type { Grant, PolicyUser } from "./principal.js";
import { ChannelStore, type ChannelRecord } from "../alerts/channels.js";
import { TokenStore, type ApiToken, type TokenRefusal, type TokenScope } from "./api-tokens.js";
import { FIRST_OWNER_ID, INVITE_TTL_MS, type TeamRefusal, type TeamUser, type UserStatus } from "./users.js";
import { PasskeyStore, type ChallengePurpose, type PasskeyView, type StoredCredential } from "./passkey-store.js";

type UserRow = { id: string; email: string; role: string; status: string; password_hash: string | null; created_at: number };
type GrantRow = { user_id: string; host: string; app: string; host_root: number; reveal: number };

/**
 * The team (`getByName("team")`): users, their roles and grants, and invitations. SQLite-backed
 * and strongly consistent; every check-and-write runs without an `await` between read and write,
 * so two owners acting at once cannot both pass the last-owner check. The first owner is seeded as
 * "admin" (the account of DOCKLIGHT_PASSWORD_HASH), so an existing deployment keeps working.
 * Passwords are stored hashed (worker/auth/password.ts), invitation links as SHA-256 only; each
 * user's passkeys and the WebAuthn challenges under way live here too (`PasskeyStore`).
 */
export class Team extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The edge's audit trail and the hosts' verified chain heads (worker/audit/). */
  private readonly audit: AuditStore;
  private readonly passkeys: PasskeyStore;
  /** Each user's API tokens (worker/team/api-tokens.ts). */
  private readonly tokens: TokenStore;
  /** Where alerts go (worker/alerts/channels.ts): the owner's settings, one set for every host. */
  private readonly channels: ChannelStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
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
    this.sql.exec(
      "INSERT OR IGNORE INTO users (id, email, role, status, password_hash, created_at) VALUES (?, 'admin', 'owner', 'active', NULL, ?)",
      FIRST_OWNER_ID,
      Date.now(),
    );
    this.passkeys = new PasskeyStore(this.sql);
    this.tokens = new TokenStore(this.sql);
    this.channels = new ChannelStore(this.sql);
    this.audit = new AuditStore(this.sql);
  }

  // ---- the audit trail (worker/audit/record.ts writes it; the Activity page reads it) ----

  record(row: NewAuditRow): void {
    this.audit.record(row);
  }
  opEnded(ref: string, outcome: string): void {
    this.audit.ended(ref, outcome);
  }
  activity(filter: AuditFilter, limit: number): AuditRow[] {
    return this.audit.list(filter, limit);
  }
  chainHeads(host: string): ChainLink[] {
    return this.audit.heads(host);
  }
  keepChainHead(host: string, head: ChainLink): void {
    this.audit.keepHead(host, head);
  }
  forgetChainHeads(host: string): void {
    this.audit.forgetHost(host);
  }

  // ---- reading ----

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
    this.passkeys.removeAll(id);
    this.tokens.removeAllOf(id);
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

  // ---- passkeys (worker/auth/passkey.ts verifies; this keeps) ----

  /** Keeps a challenge for one answer (see `PasskeyStore.keepChallenge`). */
  keepChallenge(challenge: string, purpose: ChallengePurpose, userId: string, now = Date.now()): void {
    this.passkeys.keepChallenge(challenge, purpose, userId, now);
  }

  /** Spends a challenge: true once, for its purpose and user, before it expires. */
  takeChallenge(challenge: string, purpose: ChallengePurpose, userId: string, now = Date.now()): boolean {
    return this.passkeys.takeChallenge(challenge, purpose, userId, now);
  }

  /** `userId`'s passkeys as their Account page lists them. */
  passkeysOf(userId: string): PasskeyView[] {
    return this.passkeys.of(userId);
  }

  /** `userId`'s credential ids and transports (for excludeCredentials). */
  passkeyIdsOf(userId: string): Array<{ id: string; transports: string[] }> {
    return this.passkeys.credentialsOf(userId);
  }

  /** A credential for signing in, with its active user; null when unknown or its user is not active. */
  passkeyForSignIn(credentialId: string): { credential: StoredCredential; user: PolicyUser } | null {
    const credential = this.passkeys.credential(credentialId);
    const user = credential ? this.active(credential.userId) : null;
    return credential && user ? { credential, user } : null;
  }

  /** Adds a verified passkey to an active user; refused when the credential is already registered. */
  addPasskey(c: StoredCredential & { name: string; backedUp: boolean }, now = Date.now()): { added: PasskeyView } | TeamRefusal {
    if (!this.active(c.userId)) return { refused: "no such user" };
    if (!this.passkeys.add(c, now)) return { refused: "This passkey is already registered." };
    return { added: this.passkeys.of(c.userId).find((p) => p.id === c.id)! };
  }

  /** Records a sign-in with a passkey; false when its counter moved meanwhile (see `PasskeyStore.used`). */
  passkeyUsed(id: string, seen: number, next: number, now = Date.now()): boolean {
    return this.passkeys.used(id, seen, next, now);
  }

  /** Removes one of `userId`'s own passkeys. */
  removePasskey(userId: string, id: string): boolean {
    return this.passkeys.remove(userId, id);
  }

  // ---- API tokens (the routes act for the signed-in user only) ----

  /** Keep a new token of active user `userId` (only its SHA-256 `hash` and `prefix`), for `scope`, until `expiresAt`. */
  tokenCreate(userId: string, hash: string, prefix: string, t: { name: string } & TokenScope, expiresAt: number, now = Date.now()): ApiToken | TeamRefusal {
    if (!this.active(userId)) return { refused: "no such user" };
    return this.tokens.create(userId, hash, prefix, t, expiresAt, now);
  }

  /** `userId`'s tokens, newest first (never a token or its hash). */
  tokenList(userId: string): ApiToken[] {
    return this.tokens.of(userId);
  }

  /** Revoke `userId`'s own token `id`; false when they hold no such token. */
  tokenRevoke(userId: string, id: string, now = Date.now()): boolean {
    return this.tokens.revoke(userId, id, now);
  }

  /** The token with SHA-256 `hash` and its user, while both are good (marked used); else why not. */
  tokenUse(hash: string, now = Date.now()): { token: ApiToken; user: PolicyUser } | TokenRefusal {
    const token = this.tokens.use(hash, now);
    if ("refused" in token) return token;
    const user = this.active(token.userId);
    return user ? { token, user } : { refused: "user inactive" };
  }

  // ---- alert channels (the routes have checked the actor may manage alerts) ----

  /** The alert channels, oldest first (secrets sealed). */
  alertChannels(): ChannelRecord[] {
    return this.channels.list();
  }

  addAlertChannel(r: ChannelRecord): void {
    this.channels.add(r);
  }

  removeAlertChannel(id: string): boolean {
    return this.channels.remove(id);
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
