import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../../../relay/history/chain.js";
import { openDb, type RelayDb } from "../../../relay/history/db/open.js";
import { History } from "../../../relay/history/store.js";
import { commandRecord, rebuildStart } from "../../support/history-rows.js";

const row = commandRecord;

function fresh(n: number, retention = { maxRows: 1000, maxAgeDays: 36500 }): { db: RelayDb; h: History } {
  const db = openDb(":memory:");
  const h = new History(db, retention);
  for (let i = 1; i <= n; i++) h.record(row(i));
  return { db, h };
}

const sql = (db: RelayDb, text: string, ...params: unknown[]) => db.$client.prepare(text).run(...params);

describe("history's hash chain", () => {
  it("chains every final row and verifies intact", () => {
    const { h } = fresh(5);
    const report = h.chain.verify();
    expect(report).toMatchObject({ checked: 5, intact: true, breaks: [], breaksTotal: 0, anchor: { seq: 0, hash: GENESIS_HASH } });
    expect(report.head?.seq).toBe(5);
  });

  it("shows an edited row where it is", () => {
    const { db, h } = fresh(5);
    sql(db, "UPDATE commands SET stdout = 'nothing happened' WHERE id = 3");
    const report = h.chain.verify();
    expect(report.intact).toBe(false);
    expect(report.breaks).toEqual([expect.objectContaining({ kind: "edited", id: 3, seq: 3 })]);
  });

  it("shows an edited row whose hash was recomputed at the row after it", () => {
    const { db, h } = fresh(5);
    sql(db, "UPDATE commands SET outcome = 'error', chain_hash = ? WHERE id = 2", "f".repeat(64));
    const kinds = h.chain.verify().breaks.map((b) => [b.kind, b.id]);
    expect(kinds).toEqual([
      ["edited", 2],
      ["unlinked", 3],
    ]);
  });

  it("shows a deleted row as the seq it left empty", () => {
    const { db, h } = fresh(5);
    sql(db, "DELETE FROM commands WHERE id = 4");
    const report = h.chain.verify();
    expect(report.breaks).toEqual([expect.objectContaining({ kind: "missing", seq: 4, id: null })]);
    expect(report.breaks[0]!.message).toContain("before row 5");
  });

  it("shows a row written behind the relay's back", () => {
    const { db, h } = fresh(2);
    sql(
      db,
      "INSERT INTO commands (op_id, host, op, app, argv, exit_code, outcome, stdout, stderr, duration_ms, requested_by, started_at, finished_at) VALUES ('x', 'demo', 'apps.restart', 'api', '[]', 0, 'ok', '', '', 1, 'admin', 1, 2)",
    );
    expect(h.chain.verify().breaks).toEqual([expect.objectContaining({ kind: "unchained", id: 3 })]);
  });

  it("shows a chain rebuilt whole, or cut short, against the heads the edge kept", () => {
    const { db, h } = fresh(4);
    const head = h.chain.verify().head!;
    // Rebuilt: row 2 edited and every hash after it recomputed, as someone with the code could.
    const again = fresh(0).h;
    for (let i = 1; i <= 4; i++) again.record(row(i, i === 2 ? { stdout: "forged" } : {}));
    const forged = again.chain.verify();
    expect(forged.intact).toBe(true);
    expect(again.chain.verify([head]).breaks).toEqual([expect.objectContaining({ kind: "rewritten", seq: 4 })]);
    // Cut short: the newest rows deleted.
    sql(db, "DELETE FROM commands WHERE id >= 3");
    expect(h.chain.verify([head]).breaks).toEqual([expect.objectContaining({ kind: "truncated", seq: 4 })]);
  });

  it("chains a change when it ends, after the reads that ended while it ran", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 1000, maxAgeDays: 36500 });
    const id = h.start(rebuildStart("op-c", 1));
    h.record(row(2));
    expect(h.chain.verify().checked).toBe(1);
    h.finish(id, { exitCode: 0, outcome: "ok", stdout: "built", stderr: "", durationMs: 9, finishedAt: 10 });
    const seqs = db.$client.prepare("SELECT id, chain_seq AS seq FROM commands ORDER BY chain_seq").all();
    expect(seqs).toEqual([
      { id: 2, seq: 1 },
      { id, seq: 2 },
    ]);
    expect(h.chain.verify().intact).toBe(true);
  });

  it("chains the changes a dead relay left running, as the next one marks them interrupted", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 1000, maxAgeDays: 36500 });
    h.start(rebuildStart("op-c", 1));
    expect(h.markInterrupted(50)).toBe(1);
    expect(h.chain.verify()).toMatchObject({ checked: 1, intact: true });
  });

  it("still verifies after retention pruned the oldest rows, from the anchor it moved", () => {
    const { db, h } = fresh(6, { maxRows: 3, maxAgeDays: 36500 });
    expect(h.prune()).toBe(3);
    const report = h.chain.verify();
    expect(report).toMatchObject({ checked: 3, intact: true, anchor: { seq: 3 } });
    // A head the edge saw before the prune is no longer kept: not a break.
    expect(h.chain.verify([{ seq: 2, hash: "a".repeat(64) }]).intact).toBe(true);
    sql(db, "DELETE FROM commands WHERE chain_seq = 4");
    expect(h.chain.verify().breaks).toEqual([expect.objectContaining({ kind: "missing", seq: 4 })]);
  });

  it("chains the rows recorded before the chain existed, once, on first open", () => {
    const { db } = fresh(3);
    sql(db, "UPDATE commands SET chain_seq = NULL, chain_prev = NULL, chain_hash = NULL");
    sql(db, "DELETE FROM chain_anchor");
    const reopened = new History(db, { maxRows: 1000, maxAgeDays: 36500 });
    expect(reopened.chain.verify()).toMatchObject({ checked: 3, intact: true });
  });
});
