import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { HISTORY_OUTCOMES } from "../../../protocol/ops/history.js";

/** One row per command the relay ran on the host. Secrets are masked before they get here. */
export const commands = sqliteTable(
  "commands",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    opId: text("op_id").notNull(),
    host: text("host").notNull(),
    op: text("op").notNull(),
    app: text("app"),
    argv: text("argv", { mode: "json" }).$type<string[]>().notNull(),
    exitCode: integer("exit_code"),
    outcome: text("outcome", { enum: HISTORY_OUTCOMES }).notNull(),
    stdout: text("stdout").notNull(),
    stderr: text("stderr").notNull(),
    durationMs: integer("duration_ms").notNull(),
    requestedBy: text("requested_by").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at").notNull(),
    /**
     * A change's human title as it ran ("Create mysql database x", protocol/ops.ts changeTitle: made
     * of app, plugin and service names, never a config value); null for reads and for rows written
     * before migration 0005.
     */
    title: text("title"),
    /**
     * The row's place in history's hash chain (relay/history/chain.ts), given when the row reaches
     * its final state (a read at once, a change when it ends); null while a change runs and for a
     * row written behind the relay's back.
     */
    chainSeq: integer("chain_seq"),
    /** The chain_hash of the row before it in the chain (the anchor's for the first). */
    chainPrev: text("chain_prev"),
    /** SHA-256 (hex) of chain_prev and this row's content: an edit or a deletion breaks it. */
    chainHash: text("chain_hash"),
  },
  (t) => [
    uniqueIndex("commands_chain_seq").on(t.chainSeq),
    index("commands_started_at").on(t.startedAt),
    index("commands_app").on(t.app),
    index("commands_op_id").on(t.opId),
    index("commands_op").on(t.op, t.outcome),
  ],
);

/** Op ids the relay has accepted, kept past the op's expiry so a replayed op is refused. */
export const seenOps = sqliteTable(
  "seen_ops",
  {
    jti: text("jti").primaryKey(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("seen_ops_expires_at").on(t.expiresAt)],
);

/** Ops the relay refused (bad signature, replay, other host, policy), for the audit trail. */
export const rejections = sqliteTable("rejections", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  opId: text("op_id"),
  op: text("op"),
  reason: text("reason").notNull(),
  at: integer("at").notNull(),
});

/**
 * The op-signing public key this relay trusts when it is not the configured one: the edge rotated
 * its key and sent the new one signed by the old (a key frame). `configured` is the
 * DOCKLIGHT_OP_PUBLIC_KEY it was rotated away from; when the configured key changes (the host
 * re-joined with a new command), the configured key wins again. One row at most (id 1).
 */
export const pinnedKey = sqliteTable("pinned_key", {
  id: integer("id").primaryKey(),
  x: text("x").notNull(),
  configured: text("configured").notNull(),
  pinnedAt: integer("pinned_at").notNull(),
});

/**
 * One row per release of an app: each deploy Docklight ran (when it ended) and, on a Dokku that
 * records builds (0.38+), each deploy made outside Docklight (when the relay noticed it). `snapshot`
 * is what the app ran with once the release went live (relay/releases/snapshot.ts: config keys AND
 * values, scale, domains, ports, build settings): it never leaves the host; null for a release that
 * did not go live. `sourceRepo` has credentials masked.
 */
export const releases = sqliteTable(
  "releases",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    app: text("app").notNull(),
    number: integer("number").notNull(),
    opId: text("op_id"),
    startedWith: text("started_with").notNull(),
    title: text("title").notNull(),
    by: text("by").notNull(),
    outside: integer("outside", { mode: "boolean" }).notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    outcome: text("outcome").notNull(),
    sourceKind: text("source_kind").notNull(),
    sourceSha: text("source_sha").notNull(),
    sourceRepo: text("source_repo").notNull(),
    sourceImage: text("source_image").notNull(),
    buildId: text("build_id"),
    rollbackTo: integer("rollback_to"),
    snapshot: text("snapshot"),
  },
  (t) => [
    uniqueIndex("releases_app_number").on(t.app, t.number),
    index("releases_started_at").on(t.startedAt),
    uniqueIndex("releases_build").on(t.app, t.buildId),
  ],
);

/**
 * Where history's hash chain starts: the seq and hash of the last row pruned (seq 0 and 64 zeros
 * before any was), so a chain whose oldest rows were dropped by retention still verifies. One row
 * (id 1).
 */
export const chainAnchor = sqliteTable("chain_anchor", {
  id: integer("id").primaryKey(),
  seq: integer("seq").notNull(),
  hash: text("hash").notNull(),
});
