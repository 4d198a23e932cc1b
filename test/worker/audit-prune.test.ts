import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AuditStore } from "../../worker/audit/store.js";
import { rowOf } from "../../worker/audit/events.js";
import { teamStub } from "./team-support.js";

const DAY = 86_400_000;
const op = (i: number, at: number) =>
  rowOf({ kind: "op", user: "admin", host: "demo", op: "apps.restart", args: { app: "api" }, opId: `op-${i}`, outcome: "ok" }, at);

/** The ids and ops' refs of the audit table in the Team object's own SQLite, oldest first. */
const refs = (sql: SqlStorage) =>
  sql
    .exec<{ ref: string }>("SELECT ref FROM audit WHERE ref LIKE 'op-%' ORDER BY id")
    .toArray()
    .map((r) => r.ref);

describe("the audit trail's bounds", () => {
  it("prunes at its first write, then every pruneEvery-th: never more than rows + pruneEvery − 1 are kept", async () => {
    await runInDurableObject(teamStub(), (_: unknown, state: DurableObjectState) => {
      const sql = state.storage.sql;
      sql.exec("DELETE FROM audit");
      const store = new AuditStore(sql, { rows: 5, ms: 365 * DAY, pruneEvery: 3 });
      const now = Date.now();
      // Prunes at writes 0, 3, 6 and 9 (every 3rd): up to 5 + 3 − 1 rows between.
      for (let i = 0; i < 6; i++) store.record(op(i, now));
      expect(refs(sql)).toHaveLength(6);
      store.record(op(6, now));
      expect(refs(sql)).toEqual(["op-2", "op-3", "op-4", "op-5", "op-6"]);
      store.record(op(7, now));
      store.record(op(8, now));
      expect(refs(sql)).toHaveLength(7);
      store.record(op(9, now));
      expect(refs(sql)).toEqual(["op-5", "op-6", "op-7", "op-8", "op-9"]);
    });
  });

  it("drops what is older than ms at a prune, the first write of a new object included", async () => {
    await runInDurableObject(teamStub(), (_: unknown, state: DurableObjectState) => {
      const sql = state.storage.sql;
      sql.exec("DELETE FROM audit");
      const now = Date.now();
      const before = new AuditStore(sql, { rows: 100, ms: DAY, pruneEvery: 10 });
      before.record(op(0, now - 2 * DAY));
      before.record(op(1, now - 2 * DAY));
      expect(refs(sql)).toEqual(["op-0", "op-1"]);
      new AuditStore(sql, { rows: 100, ms: DAY, pruneEvery: 10 }).record(op(2, now));
      expect(refs(sql)).toEqual(["op-2"]);
    });
  });
});
