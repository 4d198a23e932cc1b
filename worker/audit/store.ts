import type { ChainLink } from "../../protocol/ops/history-chain.js";
import type { AuditFilter, AuditKind, AuditRow, NewAuditRow } from "./events.js";

/** Events kept: at most this many, the oldest dropped first… */
export const AUDIT_KEPT_ROWS = 50_000;
/** …and none older than this (ms): a year and a month. */
export const AUDIT_KEPT_MS = 395 * 86_400_000;
/** Writes between prunes (and the first after the object woke): up to this many more rows may wait to go. */
export const AUDIT_PRUNE_EVERY = 100;
/** Most events one page (or one export page) reads. */
export const AUDIT_PAGE_MAX = 1_000;
/** Chain heads kept per host: the newest verified ones, handed back to history.verify. */
export const CHAIN_HEADS_KEPT = 20;

type Row = Omit<AuditRow, "kind"> & { kind: string };

/**
 * The audit trail and the hosts' verified chain heads, in the Team Durable Object's SQLite. Every
 * AUDIT_PRUNE_EVERY-th write prunes past AUDIT_KEPT_ROWS and AUDIT_KEPT_MS (both by index), so the
 * table stays bounded however busy the edge is (pruning on every write tripled the statements of
 * each op's two audit rows, in the one object that audits every host). An op's row is keyed by its
 * op id (`ref`): the change's "running" row is finished by its end, whichever of the two arrives first.
 */
export class AuditStore {
  /** Writes since the last prune (at first as many as prune: the first write after the object woke prunes). */
  private sincePrune: number;

  /** `kept`: the limits (tests make them small). */
  constructor(
    private readonly sql: SqlStorage,
    private readonly kept = { rows: AUDIT_KEPT_ROWS, ms: AUDIT_KEPT_MS, pruneEvery: AUDIT_PRUNE_EVERY },
  ) {
    this.sincePrune = kept.pruneEvery;
    sql.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL,
        actor TEXT, subject TEXT, host TEXT, app TEXT, op TEXT, outcome TEXT NOT NULL, detail TEXT, ref TEXT, ip TEXT
      );
      CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
      CREATE UNIQUE INDEX IF NOT EXISTS audit_ref ON audit (ref);
      CREATE TABLE IF NOT EXISTS chain_heads (
        host TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (host, seq)
      );
    `);
  }

  /**
   * Records one event. An op's row (`ref` set) is inserted once: a later row for the same op only
   * replaces a "running" outcome with a final one, never the other way round.
   */
  record(r: NewAuditRow): void {
    this.sql.exec(
      `INSERT INTO audit (at, kind, action, actor, subject, host, app, op, outcome, detail, ref, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(ref) DO UPDATE SET outcome = excluded.outcome, detail = COALESCE(excluded.detail, audit.detail)
       WHERE audit.outcome = 'running' AND excluded.outcome <> 'running'`,
      r.at,
      r.kind,
      r.action,
      r.actor,
      r.subject,
      r.host,
      r.app,
      r.op,
      r.outcome,
      r.detail,
      r.ref,
      r.ip,
    );
    if (++this.sincePrune >= this.kept.pruneEvery) this.prune(r.at);
  }

  /** A change's end, known only by its op id (the hub that started it may have been evicted since): its row's outcome. */
  ended(ref: string, outcome: string): void {
    this.sql.exec("UPDATE audit SET outcome = ? WHERE ref = ? AND outcome = 'running'", outcome, ref);
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    this.sql.exec("DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - ?", this.kept.rows);
    this.sql.exec("DELETE FROM audit WHERE at < ?", now - this.kept.ms);
  }

  /**
   * The newest events matching `f` (a user matches as actor or subject), older than `f.before`
   * when given, newest first, at most `limit` (1…AUDIT_PAGE_MAX).
   */
  list(f: AuditFilter, limit: number): AuditRow[] {
    const n = Math.min(Math.max(1, Math.floor(limit)), AUDIT_PAGE_MAX);
    return this.sql
      .exec<Row>(
        `SELECT * FROM audit
         WHERE (?1 IS NULL OR actor = ?1 OR subject = ?1) AND (?2 IS NULL OR host = ?2) AND (?3 IS NULL OR app = ?3)
           AND (?4 IS NULL OR kind = ?4) AND (?5 IS NULL OR id < ?5)
         ORDER BY id DESC LIMIT ?6`,
        f.user ?? null,
        f.host ?? null,
        f.app ?? null,
        f.kind ?? null,
        f.before ?? null,
        n,
      )
      .toArray()
      .map((r) => ({ ...r, kind: r.kind as AuditKind }));
  }

  /** The heads of `host`'s history chain the edge was shown by earlier verifications, newest first. */
  heads(host: string): ChainLink[] {
    return this.sql.exec<ChainLink>("SELECT seq, hash FROM chain_heads WHERE host = ? ORDER BY seq DESC", host).toArray();
  }

  /**
   * A verification of `host`'s chain found it intact up to `head`: kept as a head to hand back
   * next time (the newest CHAIN_HEADS_KEPT per host). A broken chain's head is never kept, so the
   * break keeps showing until someone looks into it.
   */
  keepHead(host: string, head: ChainLink, at = Date.now()): void {
    this.sql.exec("INSERT OR REPLACE INTO chain_heads (host, seq, hash, at) VALUES (?, ?, ?, ?)", host, head.seq, head.hash, at);
    this.sql.exec(
      "DELETE FROM chain_heads WHERE host = ? AND seq NOT IN (SELECT seq FROM chain_heads WHERE host = ? ORDER BY seq DESC LIMIT ?)",
      host,
      host,
      CHAIN_HEADS_KEPT,
    );
  }

  /** A host removed from the edge: its heads go (a new host by that id starts a new chain). */
  forgetHost(host: string): void {
    this.sql.exec("DELETE FROM chain_heads WHERE host = ?", host);
  }
}
