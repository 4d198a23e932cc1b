import type Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { CHAIN_BREAKS_LISTED, type ChainBreak, type ChainLink, type ChainReport } from "../../protocol/ops/history-chain.js";

/**
 * History's hash chain. Each row of `commands`, once final (a read when it is written, a change when
 * it ends, an interrupted change when the next relay finds it), gets the next seq, the previous
 * row's hash (chain_prev) and chain_hash = SHA-256(chain_prev "\n" content), where content is the
 * JSON array of the row's recorded columns in a fixed order (argv as its stored JSON text). Rows
 * are chained in the order they become final, so a change that runs for an hour does not hold up
 * the reads around it. Retention prunes along the chain and moves the anchor (chain_anchor) to the
 * last row it dropped, so what remains still verifies.
 */

/** The hash the first row follows before anything was pruned. */
export const GENESIS_HASH = "0".repeat(64);

/** A row as the chain reads it: raw column values, argv as its JSON text. */
interface RawRow {
  id: number;
  op_id: string;
  host: string;
  op: string;
  app: string | null;
  argv: string;
  exit_code: number | null;
  outcome: string;
  stdout: string;
  stderr: string;
  duration_ms: number;
  requested_by: string;
  started_at: number;
  finished_at: number;
  title: string | null;
  chain_seq: number | null;
  chain_prev: string | null;
  chain_hash: string | null;
}

const CONTENT_COLUMNS = "id, op_id, host, op, app, argv, exit_code, outcome, stdout, stderr, duration_ms, requested_by, started_at, finished_at, title";

/** chain_hash of a row: SHA-256 (hex) of `prev`, a newline, and the row's content as a JSON array. */
export function chainHashOf(prev: string, r: RawRow): string {
  const content = JSON.stringify([
    r.id,
    r.op_id,
    r.host,
    r.op,
    r.app,
    r.argv,
    r.exit_code,
    r.outcome,
    r.stdout,
    r.stderr,
    r.duration_ms,
    r.requested_by,
    r.started_at,
    r.finished_at,
    r.title,
  ]);
  return createHash("sha256").update(prev).update("\n").update(content).digest("hex");
}

/** Links final rows into the chain, moves its anchor when retention prunes, and verifies it. */
export class HistoryChain {
  private readonly stmt;

  constructor(private readonly sqlite: Database.Database) {
    this.stmt = {
      head: sqlite.prepare<[], ChainLink>(
        "SELECT chain_seq AS seq, chain_hash AS hash FROM commands WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1",
      ),
      anchor: sqlite.prepare<[], ChainLink>("SELECT seq, hash FROM chain_anchor WHERE id = 1"),
      setAnchor: sqlite.prepare<[number, string]>(
        "INSERT INTO chain_anchor (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
      ),
      row: sqlite.prepare<[number], RawRow>(`SELECT ${CONTENT_COLUMNS}, chain_seq, chain_prev, chain_hash FROM commands WHERE id = ?`),
      link: sqlite.prepare<[number, string, string, number]>("UPDATE commands SET chain_seq = ?, chain_prev = ?, chain_hash = ? WHERE id = ?"),
      hashAt: sqlite.prepare<[number], { hash: string }>("SELECT chain_hash AS hash FROM commands WHERE chain_seq = ?"),
      along: sqlite.prepare<[number], RawRow>(
        `SELECT ${CONTENT_COLUMNS}, chain_seq, chain_prev, chain_hash FROM commands WHERE chain_seq > ? ORDER BY chain_seq`,
      ),
      unchained: sqlite.prepare<[], { id: number }>("SELECT id FROM commands WHERE chain_seq IS NULL AND outcome <> 'running' ORDER BY id"),
    };
    this.start();
  }

  /**
   * First open after migration 0006: the anchor is made and the rows recorded before it are chained
   * in id order, once. Later, a final row outside the chain is reported by verify(), never chained.
   */
  private start(): void {
    if (this.stmt.anchor.get()) return;
    this.sqlite.transaction(() => {
      this.stmt.setAnchor.run(0, GENESIS_HASH);
      for (const { id } of this.stmt.unchained.all()) this.link(id);
    })();
  }

  /** Where the chain ends now: its newest link, or the anchor when it holds no row. */
  private tip(): ChainLink {
    return this.stmt.head.get() ?? this.stmt.anchor.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Give final row `id` the next place in the chain (call inside the transaction that finalized it). */
  link(id: number): void {
    const row = this.stmt.row.get(id);
    if (!row || row.chain_seq !== null) return;
    const tip = this.tip();
    this.stmt.link.run(tip.seq + 1, tip.hash, chainHashOf(tip.hash, row), id);
  }

  /** Retention is about to drop every row up to `seq`: the chain now starts after it. */
  anchorAt(seq: number): void {
    const at = this.stmt.hashAt.get(seq);
    if (at) this.stmt.setAnchor.run(seq, at.hash);
  }

  /**
   * Walks the chain from its anchor: each row's content against its hash, each row's chain_prev
   * against the row before, seqs without a row, final rows outside the chain, and the heads the edge
   * was shown before (`known`: a head whose seq is still kept must have the same hash). O(rows),
   * one row in memory at a time.
   */
  verify(known: readonly ChainLink[] = []): ChainReport {
    const anchor = this.stmt.anchor.get() ?? { seq: 0, hash: GENESIS_HASH };
    const breaks: ChainBreak[] = [];
    let breaksTotal = 0;
    const add = (b: ChainBreak) => {
      breaksTotal++;
      if (breaks.length < CHAIN_BREAKS_LISTED) breaks.push(b);
    };
    let prev: ChainLink = anchor;
    let checked = 0;
    for (const row of this.stmt.along.iterate(anchor.seq)) {
      const seq = row.chain_seq as number;
      checked++;
      if (seq > prev.seq + 1) {
        const gap = seq - prev.seq - 1;
        add({
          kind: "missing",
          id: null,
          seq: prev.seq + 1,
          message: `${gap} row${gap === 1 ? "" : "s"} of the chain (seq ${prev.seq + 1}${gap > 1 ? `–${seq - 1}` : ""}) were deleted before row ${row.id}`,
        });
      } else if (row.chain_prev !== prev.hash) {
        add({ kind: "unlinked", id: row.id, seq, message: `row ${row.id} does not follow the row before it in the chain` });
      }
      if (chainHashOf(row.chain_prev ?? "", row) !== row.chain_hash) {
        add({ kind: "edited", id: row.id, seq, message: `row ${row.id} was changed after it was recorded` });
      }
      prev = { seq, hash: row.chain_hash ?? "" };
    }
    for (const { id } of this.stmt.unchained.all()) {
      add({ kind: "unchained", id, seq: null, message: `row ${id} was written outside the relay (it is not in the chain)` });
    }
    const head = checked > 0 ? prev : null;
    for (const k of known) {
      if (k.seq <= anchor.seq) continue;
      const at = this.stmt.hashAt.get(k.seq);
      if (!at && (head === null || k.seq > head.seq)) {
        add({
          kind: "truncated",
          id: null,
          seq: k.seq,
          message: `the chain ended at seq ${k.seq} when last verified; it now ends at ${head?.seq ?? anchor.seq}`,
        });
      } else if (at && at.hash !== k.hash) {
        add({ kind: "rewritten", id: null, seq: k.seq, message: `the chain was rebuilt: seq ${k.seq} no longer has the hash it had when last verified` });
      }
    }
    return { checked, anchor, head, intact: breaksTotal === 0, breaks, breaksTotal };
  }
}
