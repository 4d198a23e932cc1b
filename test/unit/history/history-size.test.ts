import { describe, expect, it } from "vitest";
import { EXCERPT_CHARS, EXPORT_PAGE_ROWS, HISTORY_REPLY_BYTES, type HistoryCursor, type HistoryEntry } from "../../../protocol/ops.js";
import { openDb } from "../../../relay/history/db/open.js";
import { exportPage, type ExportPageArgs } from "../../../relay/history/export.js";
import { History, replyBytes, type CommandRecord } from "../../../relay/history/store.js";
import { commandRecord } from "../../support/history-rows.js";
import { fakeRelay, runOp } from "../../support/ops.js";

/** History replies bounded by size: list excerpts within a byte budget, one row whole, exports in pages. */

/** The `i`th restart, of api (odd) or web (even), its stdout `line i`. */
const row = (i: number, over: Partial<CommandRecord> = {}): CommandRecord =>
  commandRecord(i, { app: i % 2 ? "api" : "web", argv: ["dokku", "ps:restart", i % 2 ? "api" : "web"], stdout: `line ${i}`, ...over });

const fresh = () => new History(openDb(":memory:"), { maxRows: 1_000_000, maxAgeDays: 36500 });

/** Every page of an export, as the edge asks for them: each with the cursor and the rows left. */
function allPages(history: History, args: ExportPageArgs, budget?: number) {
  const pages = [];
  let before: HistoryCursor | undefined;
  let left = args.limit;
  for (;;) {
    const page = exportPage(history, { ...args, before, limit: left }, budget);
    pages.push(page);
    if (left !== undefined) left -= page.rows;
    if (page.next === null) return pages;
    before = page.next;
  }
}

describe("history.list: excerpts within a byte budget", () => {
  const history = fresh();
  const long = `HEAD${"a".repeat(EXCERPT_CHARS)}${"#".repeat(5000)}${"z".repeat(EXCERPT_CHARS)}TAIL`;
  history.record(row(1, { stdout: "short", stderr: "x".repeat(2 * EXCERPT_CHARS) }));
  history.record(row(2, { stdout: long, stderr: "" }));

  it("keeps a long stream's first and last EXCERPT_CHARS around a line saying how much was cut, and flags the row", () => {
    const { entries, total, full } = history.page(10, 0);
    expect(total).toBe(2);
    expect(full).toBe(false);
    const [cut, whole] = entries;
    expect(cut!.cut).toBe(true);
    expect(cut!.stdout.startsWith(long.slice(0, EXCERPT_CHARS))).toBe(true);
    expect(cut!.stdout.endsWith(long.slice(-EXCERPT_CHARS))).toBe(true);
    expect(cut!.stdout).toContain(`[… ${long.length - 2 * EXCERPT_CHARS} characters cut;`);
    expect(cut!.stdout).not.toContain("#");
    expect(cut!.stdout.length).toBeLessThan(2 * EXCERPT_CHARS + 100);
    // exactly 2 × EXCERPT_CHARS is kept whole
    expect(whole!.cut).toBe(false);
    expect(whole!.stdout).toBe("short");
    expect(whole!.stderr).toBe("x".repeat(2 * EXCERPT_CHARS));
  });

  it("cuts by characters, never inside a character of more than one UTF-16 unit", () => {
    const h = fresh();
    h.record(row(1, { stdout: "😀".repeat(3 * EXCERPT_CHARS) }));
    const [e] = h.page(1, 0).entries;
    expect(e!.stdout).toContain(`[… ${EXCERPT_CHARS} characters cut;`);
    expect(e!.stdout.replace(/\n\[…[^\]]*\]\n/, "")).toBe("😀".repeat(2 * EXCERPT_CHARS));
  });

  it("stops adding rows before the reply passes its budget, says so, and always gives the first row", () => {
    const h = fresh();
    for (let i = 1; i <= 30; i++) h.record(row(i, { stdout: "\u0001".repeat(3 * EXCERPT_CHARS) }));
    const one = replyBytes(h.page(1, 0).entries[0]);
    const page = h.page(30, 0, {}, one * 10 + 5);
    expect(page.entries).toHaveLength(10);
    expect(page.full).toBe(true);
    expect(page.total).toBe(30);
    const rest = h.page(30, 10, {}, one * 100);
    expect(rest.entries.map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, k) => 20 - k));
    expect(rest.full).toBe(false);
    const tiny = h.page(30, 0, {}, 10);
    expect(tiny.entries).toHaveLength(1);
    expect(tiny.full).toBe(true);
  });

  it("keeps the default reply of 200 rows of 64 KiB output each under HISTORY_REPLY_BYTES", async () => {
    const h = fresh();
    for (let i = 1; i <= 200; i++) h.record(row(i, { stdout: "\u001b[1m".repeat(16 * 1024), stderr: "\u001b[0m".repeat(16 * 1024) }));
    const reply = await runOp(fakeRelay(undefined, { history: h }), "history.list", { limit: 200 });
    expect(JSON.stringify(reply).length).toBeLessThan(HISTORY_REPLY_BYTES + 1024);
    expect(reply.full).toBe(true);
    expect(reply.entries.length).toBeGreaterThan(0);
    expect(reply.entries.length).toBeLessThan(200);
  });
});

describe("history.entry: one row whole", () => {
  it("answers the row with its whole output, and not_found for an id that is not there", async () => {
    const h = fresh();
    const out = "o".repeat(60 * 1024);
    h.record(row(1, { stdout: out }));
    const relay = fakeRelay(undefined, { history: h });
    const { entry } = await runOp(relay, "history.entry", { id: 1 });
    expect(entry.stdout).toBe(out);
    expect(entry.opId).toBe("op-1");
    await expect(runOp(relay, "history.entry", { id: 2 })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("history.export: the file in pages", () => {
  const history = fresh();
  for (let i = 1; i <= 300; i++) history.record(row(i, { stdout: i === 7 ? "=cmd|' /C calc'!A0" : `line ${i}, done` }));
  const every = history.list(1000, 0).entries;

  it("JSON pages concatenate to one array of every row, newest first, each page under its budget", () => {
    const budget = 4096;
    const pages = allPages(history, { format: "json", filter: {} }, budget);
    expect(pages.length).toBeGreaterThan(10);
    for (const p of pages.slice(0, -1)) {
      expect(Buffer.byteLength(p.content)).toBeLessThanOrEqual(budget + 1);
      expect(p.next).not.toBeNull();
    }
    expect(pages.at(-1)!.next).toBeNull();
    expect(JSON.parse(pages.map((p) => p.content).join(""))).toEqual(every);
    expect(pages.reduce((n, p) => n + p.rows, 0)).toBe(300);
  });

  it("CSV pages: one header, one record per row, formula-looking cells defused", () => {
    const pages = allPages(history, { format: "csv", filter: { app: "api" } }, 2048);
    const text = pages.map((p) => p.content).join("");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr,title");
    expect(lines.filter((l) => l.startsWith("id,"))).toHaveLength(1);
    expect(lines.slice(1, -1).map((l) => Number(l.split(",")[0]))).toEqual(every.filter((e) => e.app === "api").map((e) => e.id));
    expect(lines.find((l) => l.startsWith("7,"))).toContain(",'=cmd|' /C calc'!A0,");
  });

  it("a limit ends the file on the page that reaches it, across pages", () => {
    const pages = allPages(history, { format: "json", filter: {}, limit: 123 }, 2048);
    expect(pages.length).toBeGreaterThan(1);
    const rows = JSON.parse(pages.map((p) => p.content).join("")) as HistoryEntry[];
    expect(rows.map((r) => r.id)).toEqual(every.slice(0, 123).map((e) => e.id));
  });

  it("at most EXPORT_PAGE_ROWS rows a page, and the page that takes the last row ends the file", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 1_000_000, maxAgeDays: 36500 });
    db.$client.transaction(() => {
      for (let i = 1; i <= EXPORT_PAGE_ROWS + 1; i++) h.record(row(i));
    })();
    const first = exportPage(h, { format: "csv", filter: {} }, 10 * 1024 * 1024);
    expect(first.rows).toBe(EXPORT_PAGE_ROWS);
    const second = exportPage(h, { format: "csv", filter: {}, before: first.next! }, 10 * 1024 * 1024);
    expect(second).toMatchObject({ rows: 1, next: null });
    const exact = exportPage(h, { format: "csv", filter: {}, before: { startedAt: row(2).startedAt, id: 2 } }, 10 * 1024 * 1024);
    expect(exact).toMatchObject({ rows: 1, next: null });
  });

  it("an export that matches nothing is still a whole file", async () => {
    const relay = fakeRelay(undefined, { history });
    const json = await runOp(relay, "history.export", { format: "json", filter: { app: "nope" } });
    expect(json).toMatchObject({ rows: 0, next: null });
    expect(JSON.parse(json.content)).toEqual([]);
    const csv = await runOp(relay, "history.export", { format: "csv", filter: { app: "nope" } });
    expect(csv.content).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr,title\r\n");
  });

  it("a text search reads through the same plan page after page", () => {
    const pages = allPages(history, { format: "json", filter: { text: "line 2" } }, 1024);
    const rows = JSON.parse(pages.map((p) => p.content).join("")) as HistoryEntry[];
    expect(rows.map((r) => r.id)).toEqual(history.list(1000, 0, { text: "line 2" }).entries.map((e) => e.id));
    expect(rows.length).toBe(111); // 2, 20-29, 200-299
  });
});
