import { z } from "zod";
import { appName, hostId } from "../../protocol/names.js";
import { b64url } from "../auth/crypto.js";

/**
 * API tokens for CI and scripts: each is one user's, on one host or one app on a host, until it
 * expires or is revoked. The token itself is shown once when it is made; only its SHA-256 is kept
 * (looked up by it, as GitHub's and GitLab's personal tokens are), with a short prefix to tell
 * tokens apart in a list. A token never does more than its user may do at the time of each call
 * (worker/team/principal.ts tokenPrincipal reads the user afresh).
 */

/** What every token starts with (so secret scanners and people can tell one). */
export const TOKEN_PREFIX = "dlt_";
/** A token as presented: the prefix and 32 random bytes, base64url. */
export const tokenText = z.string().regex(/^dlt_[A-Za-z0-9_-]{43}$/);
/** Most tokens one user may hold (revoked and expired ones included until removed). */
export const MAX_TOKENS_PER_USER = 50;
/** Longest life a token may be given (days). */
export const MAX_TOKEN_DAYS = 366;
/** How often `last used` is written (ms): one write per minute per token at most. */
export const LAST_USED_EVERY_MS = 60_000;

/** A token's scope: one host, or one app on it. */
export interface TokenScope {
  host: string;
  app: string | null;
}

/** A token as its owner's list shows it (never the token, never its hash). */
export interface ApiToken extends TokenScope {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the token (`dlt_abcd`), to tell it from others. */
  prefix: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** The form that makes a token: a name, the host, an app on it or the whole host, and its life in days. */
export const tokenForm = z.object({
  name: z
    .string({ error: "Give the token a name" })
    .trim()
    .min(1, "Give the token a name")
    .max(60, "A token's name is at most 60 characters")
    .regex(/^[\w .@-]+$/, "A token's name uses letters, digits, spaces and . _ - @ only"),
  host: hostId,
  app: z.union([z.literal(""), appName]).default(""),
  days: z.coerce
    .number({ error: "Give its life in days" })
    .int("Give its life in whole days")
    .min(1, "A token lives at least 1 day")
    .max(MAX_TOKEN_DAYS, `A token lives at most ${MAX_TOKEN_DAYS} days`),
});

/** Why a token was not accepted (the API answers 401 with it). */
export type TokenRefusal = { refused: "unknown" | "expired" | "revoked" | "user inactive" };

type Row = {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  host: string;
  app: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.prefix,
  host: r.host,
  app: r.app === "" ? null : r.app,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** A new token's text: the prefix and 32 random bytes (base64url). */
export function newTokenText(): string {
  return TOKEN_PREFIX + b64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/** The tokens table in the Team's SQLite; every method is synchronous (no await between a check and its write). */
export class TokenStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS api_tokens (
        id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL,
        host TEXT NOT NULL, app TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
        last_used_at INTEGER, revoked_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);
    `);
  }

  /** Keep a new token of `userId` (its SHA-256 `hash`); refused past MAX_TOKENS_PER_USER. */
  create(userId: string, hash: string, prefix: string, t: { name: string } & TokenScope, expiresAt: number, now: number): ApiToken | { refused: string } {
    const n = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM api_tokens WHERE user_id = ?", userId).one().n;
    if (n >= MAX_TOKENS_PER_USER) return { refused: `You hold ${MAX_TOKENS_PER_USER} tokens already: remove one first.` };
    const id = crypto.randomUUID();
    this.sql.exec(
      "INSERT INTO api_tokens (id, hash, user_id, name, prefix, host, app, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      id,
      hash,
      userId,
      t.name,
      prefix,
      t.host,
      t.app ?? "",
      now,
      expiresAt,
    );
    return this.get(id)!;
  }

  get(id: string): ApiToken | null {
    const r = this.sql.exec<Row>("SELECT * FROM api_tokens WHERE id = ?", id).toArray()[0];
    return r ? toToken(r) : null;
  }

  /** `userId`'s tokens, newest first. */
  of(userId: string): ApiToken[] {
    return this.sql.exec<Row>("SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id", userId).toArray().map(toToken);
  }

  /** Revoke `userId`'s token `id` (at once, for good); false when they hold no such token. */
  revoke(userId: string, id: string, now: number): boolean {
    return this.sql.exec("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ?", now, id, userId).rowsWritten > 0;
  }

  /** Remove every token of `userId` (the user was removed). */
  removeAllOf(userId: string): void {
    this.sql.exec("DELETE FROM api_tokens WHERE user_id = ?", userId);
  }

  /** The token whose SHA-256 is `hash` while it works (not expired, not revoked), marked used at `now`; else why not. */
  use(hash: string, now: number): ApiToken | TokenRefusal {
    const r = this.sql.exec<Row>("SELECT * FROM api_tokens WHERE hash = ?", hash).toArray()[0];
    if (!r) return { refused: "unknown" };
    if (r.revoked_at !== null) return { refused: "revoked" };
    if (r.expires_at <= now) return { refused: "expired" };
    if (r.last_used_at === null || now - r.last_used_at >= LAST_USED_EVERY_MS) {
      this.sql.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, r.id);
      r.last_used_at = now;
    }
    return toToken(r);
  }
}
