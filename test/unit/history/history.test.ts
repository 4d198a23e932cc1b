import { describe, expect, it } from "vitest";
import { openDb } from "../../../relay/history/db/open.js";
import { changeOpNames, type HistoryCursor } from "../../../protocol/ops.js";
import { exportPage } from "../../../relay/history/export.js";
import { csvCell } from "../../../protocol/csv.js";
import { History, type CommandRecord } from "../../../relay/history/store.js";
import { commandRecord } from "../../support/history-rows.js";
import { fakeRelay, runOp } from "../../support/ops.js";

/** The `i`th command: a restart or a config change, of api or blog.v2, every fifth one failed. */
const row = (i: number, over: Partial<CommandRecord> = {}): CommandRecord =>
  commandRecord(i, {
    op: i % 2 ? "apps.restart" : "config.set",
    app: i % 3 ? "api" : "blog.v2",
    exitCode: i % 5 ? 0 : 1,
    outcome: i % 5 ? "ok" : "error",
    stdout: `line ${i}`,
    ...over,
  });

describe("history queries", () => {
  const history = new History(openDb(":memory:"), { maxRows: 100_000, maxAgeDays: 36500 });
  for (let i = 1; i <= 60; i++) history.record(row(i));
  history.record(row(61, { stdout: "100% done_here", app: null }));

  it("filters by app, op, outcome, date range and text, and pages", () => {
    expect(history.list(100, 0, { app: "blog.v2" }).total).toBe(20);
    expect(history.list(100, 0, { op: "config.set", outcome: "error" }).entries.every((e) => e.op === "config.set" && e.outcome === "error")).toBe(true);
    expect(history.list(100, 0, { outcome: "error" }).total).toBe(12);
    const range = history.list(100, 0, { from: 1_700_000_010_000, to: 1_700_000_020_000 });
    expect(range.entries.map((e) => e.opId)).toEqual(Array.from({ length: 10 }, (_, k) => `op-${19 - k}`));
    const page = history.list(5, 5, { app: "api" });
    expect(page.entries).toHaveLength(5);
    expect(page.total).toBe(40);
    expect(page.entries[0]!.id).toBeGreaterThan(page.entries[4]!.id);
  });

  it("matches text literally (LIKE wildcards escaped)", () => {
    expect(history.list(100, 0, { text: "100%" }).entries.map((e) => e.opId)).toEqual(["op-61"]);
    expect(history.list(100, 0, { text: "_here" }).total).toBe(1);
    expect(history.list(100, 0, { text: "%" }).total).toBe(1);
    expect(history.list(100, 0, { text: "line 4" }).total).toBe(11); // 4, 40-49
  });

  it("exports CSV with formula-looking cells defused, and JSON", async () => {
    const h = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
    h.record(row(1, { stdout: '=HYPERLINK("http://evil")', stderr: "+1", requestedBy: "@admin", argv: ["-x"] }));
    const csv = await runOp(fakeRelay(undefined, { history: h }), "history.export", { format: "csv", filter: {}, limit: 10 });
    expect(csv.rows).toBe(1);
    const [header, line] = csv.content.trim().split("\r\n");
    expect(header).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr,title");
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(line).toContain(",'+1");
    expect(line).toContain(",'@admin,");
    expect(line).toContain(",'-x,");
    const json = await runOp(fakeRelay(undefined, { history: h }), "history.export", { format: "json", filter: { app: "nope" }, limit: 10 });
    expect(JSON.parse(json.content)).toEqual([]);
  });

  it("csv cells: tab and CR prefixes, quoting", () => {
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe('"\'\rcmd"');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
});

describe("history order", () => {
  // Five commands in one second, written out of start order (a read is written when it ends, so one
  // that started first can be written last), two of them in the same millisecond.
  const second = 1_700_000_100_000;
  const starts = [second + 400, second + 100, second + 900, second + 400, second + 0];
  const h = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
  starts.forEach((startedAt, i) => h.record(row(i, { opId: `same-second-${i}`, startedAt, finishedAt: startedAt + 5 })));
  /** Newest start first; for the same start, the row written last first. */
  const expected = ["same-second-2", "same-second-3", "same-second-0", "same-second-1", "same-second-4"];

  it("lists strictly newest first within one second: by start time, then by row id", () => {
    expect(h.list(10, 0).entries.map((e) => e.opId)).toEqual(expected);
    expect(h.page(10, 0).entries.map((e) => e.opId)).toEqual(expected);
    // Paging keeps the order across pages.
    expect([...h.page(2, 0).entries, ...h.page(2, 2).entries, ...h.page(2, 4).entries].map((e) => e.opId)).toEqual(expected);
  });

  it("exports in the same order, page after page (cursor: start time and id)", () => {
    const ids: string[] = [];
    let before: HistoryCursor | undefined;
    for (;;) {
      // A budget of 1 byte: one row a page, so every row is reached through a cursor.
      const page = exportPage(h, { format: "csv", filter: {}, ...(before ? { before } : {}) }, 1);
      ids.push(
        ...page.content
          .split("\r\n")
          .filter((l) => l.includes("same-second-"))
          .map((l) => l.split(",")[1]!),
      );
      if (page.next === null) break;
      before = page.next;
    }
    expect(ids).toEqual(expected);
  });
});

describe("history's changes filter", () => {
  // Reads outnumber changes, as on a real host; one read failed (a plugin that is not installed).
  const h = new History(openDb(":memory:"), { maxRows: 1000, maxAgeDays: 36500 }, () => changeOpNames);
  for (let i = 1; i <= 30; i++) {
    const op = i % 10 === 0 ? "apps.restart" : i === 7 ? "databases.list" : i % 2 ? "apps.list" : "apps.detail";
    h.record(
      row(i, {
        op,
        opId: `op-${i}`,
        outcome: "ok",
        exitCode: 0,
        ...(i === 7 ? { outcome: "error", exitCode: 1, stderr: "mysql is not a dokku command" } : {}),
      }),
    );
  }

  it("lists only changes with show: changes, counting only them, and every command otherwise", () => {
    const changes = h.list(100, 0, { show: "changes" });
    expect(changes.total).toBe(3);
    expect(changes.entries.map((e) => e.opId)).toEqual(["op-30", "op-20", "op-10"]);
    expect(h.page(2, 2, { show: "changes" })).toMatchObject({ total: 3, entries: [{ opId: "op-10" }] });
    expect(h.list(100, 0, { show: "all" }).total).toBe(30);
    expect(h.list(100, 0, {}).total).toBe(30);
  });

  it("asks for the change ops only when a query keeps changes, and says so when it was given none", () => {
    let asked = 0;
    const counted = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 }, () => (asked++, ["apps.restart"]));
    counted.list(10, 0, { show: "all" });
    expect(asked).toBe(0);
    counted.list(10, 0, { show: "changes" });
    expect(asked).toBe(1);
    const bare = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
    expect(bare.list(10, 0, {}).total).toBe(0);
    expect(() => bare.list(10, 0, { show: "changes" })).toThrow("this History was not given the ops that are changes");
  });

  it("keeps failed reads findable under all commands only", () => {
    expect(h.list(100, 0, { show: "changes", outcome: "error" }).total).toBe(0);
    expect(h.list(100, 0, { show: "all", outcome: "error" }).entries.map((e) => e.opId)).toEqual(["op-7"]);
    expect(h.list(100, 0, { show: "all", text: "not a dokku command" }).total).toBe(1);
  });

  it("exports only changes with show: changes", () => {
    const page = exportPage(h, { format: "json", filter: { show: "changes" } });
    expect((JSON.parse(page.content) as Array<{ opId: string }>).map((e) => e.opId)).toEqual(["op-30", "op-20", "op-10"]);
  });

  it("is validated as an op argument: changes or all, nothing else", async () => {
    const relay = fakeRelay(undefined, { history: h });
    expect((await runOp(relay, "history.list", { filter: { show: "changes" } })).total).toBe(3);
    await expect(runOp(relay, "history.list", { filter: { show: "reads" } } as never)).rejects.toThrow(/show is changes or all/);
    await expect(runOp(relay, "history.export", { format: "csv", filter: { show: "" } } as never)).rejects.toThrow(/show is changes or all/);
  });
});
