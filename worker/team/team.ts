import { DurableObject } from "cloudflare:workers";
import type { Role } from "../../protocol/policy.js";
import type { ChainLink } from "../../protocol/ops/history-chain.js";
import type { AuditFilter, AuditRow, NewAuditRow } from "../audit/events.js";
import { AuditStore } from "../audit/store.js";
import type { Env } from "../env.js";
import type { Grant, PolicyUser } from "./principal.js";
import { ChannelStore, type ChannelRecord } from "../alerts/channels.js";
import { TokenStore, type ApiToken, type TokenRefusal, type TokenScope } from "./api-tokens.js";
import type { TeamRefusal, TeamUser } from "./users.js";
import { UserStore } from "./user-store.js";
import { PasskeyStore, type ChallengePurpose, type PasskeyView, type StoredCredential } from "./passkey-store.js";

/**
 * The team (`getByName("team")`): users, their roles and grants, and invitations (UserStore), each
 * user's passkeys and the WebAuthn challenges under way (PasskeyStore), API tokens, alert channels
 * and the audit trail. SQLite-backed and strongly consistent; the first owner is seeded as "admin"
 * (the account of DOCKLIGHT_PASSWORD_HASH), so an existing deployment keeps working.
 */
export class Team extends DurableObject<Env> {
  /** Users, grants and invitations (worker/team/user-store.ts). */
  private readonly users: UserStore;
  /** The edge's audit trail and the hosts' verified chain heads (worker/audit/). */
  private readonly audit: AuditStore;
  private readonly passkeys: PasskeyStore;
  /** Each user's API tokens (worker/team/api-tokens.ts). */
  private readonly tokens: TokenStore;
  /** Where alerts go (worker/alerts/channels.ts): the owner's settings, one set for every host. */
  private readonly channels: ChannelStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.users = new UserStore(sql, (id) => {
      this.passkeys.removeAll(id);
      this.tokens.removeAllOf(id);
    });
    this.passkeys = new PasskeyStore(sql);
    this.tokens = new TokenStore(sql);
    this.channels = new ChannelStore(sql);
    this.audit = new AuditStore(sql);
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

  // ---- users, grants and invitations (UserStore; the routes have checked the actor may manage users) ----

  /** Every user, the first owner first, then by when they were invited. */
  list(): TeamUser[] {
    return this.users.list();
  }
  /** One user, or null. */
  get(id: string): TeamUser | null {
    return this.users.get(id);
  }
  /** The user a session belongs to while they are active (suspended, removed or unknown: null). */
  active(id: string): PolicyUser | null {
    return this.users.active(id);
  }
  /** For signing in by e-mail: the active user's id and password hash, or null. */
  credentials(email: string): { id: string; passwordHash: string | null } | null {
    return this.users.credentials(email);
  }
  /** A sign-in by single sign-on (see UserStore.ssoUser). */
  ssoUser(email: string, now = Date.now()): { id: string } | TeamRefusal {
    return this.users.ssoUser(email, now);
  }
  /** Invites `email` as `role` (see UserStore.invite). */
  invite(email: string, role: Role, tokenHash: string, now = Date.now()): { user: TeamUser; expiresAt: number } | TeamRefusal {
    return this.users.invite(email, role, tokenHash, now);
  }
  /** Who a link is for while it still works, else why not (unknown, used, expired). */
  invitation(tokenHash: string, now = Date.now()): { email: string } | TeamRefusal {
    return this.users.invitation(tokenHash, now);
  }
  /** Accepts a link: it is spent, the user sets `passwordHash` and becomes active. Once only. */
  accept(tokenHash: string, passwordHash: string, now = Date.now()): { user: TeamUser } | TeamRefusal {
    return this.users.accept(tokenHash, passwordHash, now);
  }
  /** Changes `id`'s role; the last active owner cannot stop being one. */
  setRole(id: string, role: Role): { user: TeamUser } | TeamRefusal {
    return this.users.setRole(id, role);
  }
  /** Suspends (`suspended` true) or reinstates `id`; the last active owner cannot be suspended. */
  setSuspended(id: string, suspended: boolean): { user: TeamUser } | TeamRefusal {
    return this.users.setSuspended(id, suspended);
  }
  /** Removes `id` with their grants, open links, passkeys and tokens; the last active owner cannot be removed. */
  remove(id: string): { removed: TeamUser } | TeamRefusal {
    return this.users.remove(id);
  }
  /** Grants `g` to `id` (replacing the same host/app grant). */
  grant(id: string, g: Grant): { user: TeamUser } | TeamRefusal {
    return this.users.grant(id, g);
  }
  /** Takes back `id`'s grant on `host` (`app` null: the whole-host grant). */
  revokeGrant(id: string, host: string, app: string | null): { user: TeamUser } | TeamRefusal {
    return this.users.revokeGrant(id, host, app);
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
}
