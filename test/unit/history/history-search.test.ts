import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type RelayDb } from "../../../relay/history/db/open.js";
import { INDEX_MAX_CANDIDATES, trigramQuery } from "../../../relay/history/where.js";
import { History, type CommandRecord } from "../../../relay/history/store.js";
import { commandRecord, rebuildStart } from "../../support/history-rows.js";

const row = commandRecord;

/** What SQLite's LIKE matches: a substring, ASCII letters folded, every other character as is. */
const asciiFold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likeWouldMatch = (r: CommandRecord, text: string) =>
  [JSON.stringify(r.argv), r.stdout, r.stderr].some((field) => asciiFold(field).includes(asciiFold(text)));

/** Row ids the FTS5 index itself holds for one trigram (rows the index says contain it). */
const indexed = (db: RelayDb, gram: string) =>
  db.$client
    .prepare<[string], { rowid: number }>("SELECT rowid FROM commands_fts WHERE commands_fts MATCH ? ORDER BY rowid")
    .all(`"${gram}"`)
    .map((r) => r.rowid);

/** FTS5's own check that the index matches the `commands` rows (throws SQLITE_CORRUPT_VTAB if not). */
const integrityCheck = (db: RelayDb) => db.$client.exec("INSERT INTO commands_fts(commands_fts, rank) VALUES ('integrity-check', 1)");

const ids = (h: History, text: string) => h.list(1000, 0, { text }).entries.map((e) => e.opId);

describe("history text search through the trigram index", () => {
  const contents: Partial<CommandRecord>[] = [
    { stdout: 'Say "hello" to 100% of_users' },
    { stdout: "HELLO World", stderr: "it's done" },
    { stderr: "back\\slash and %_ wildcards" },
    { argv: ["dokku", "config:set", "api", 'MSG="quoted value"'] },
    { stdout: "Größe: 日本語のテキスト ÉCOLE" },
    { stderr: "école" },
    // every trigram of "wxyz" but not "wxyz" itself: the index alone would take it
    { stdout: "wxy xyz" },
    { stdout: "rocket 🚀 launched" },
    { stdout: "NEAR(a b) AND OR NOT * ^ col:umn (x) -y" },
    { stdout: "ab" },
    { stdout: "a" },
    { stdout: "-----> Deploying api\n=====> Application deployed:\n       http://api.dokku.me" },
  ];
  const rows = contents.map((c, i) => row(i, c));
  const db = openDb(":memory:");
  const history = new History(db, { maxRows: 1000, maxAgeDays: 36500 });
  for (const r of rows) history.record(r);

  const terms = [
    // quotes and LIKE wildcards, matched literally
    '"',
    '""',
    '"hello"',
    "'s d",
    "100%",
    "%_",
    "of_users",
    "_",
    "%",
    "\\slash",
    '\\"quoted',
    'MSG=\\"',
    // ASCII case folded, other case not (as LIKE)
    "hello",
    "HeLLo wOrld",
    "école",
    "ÉCOLE",
    "größe",
    "GRÖSSE",
    "GRÖ",
    "wxyz",
    "wxy",
    "日本語",
    "本",
    "🚀",
    "🚀 l",
    // FTS5 query syntax is only text here
    "NEAR(a",
    "AND",
    " OR ",
    "* ^",
    "col:umn",
    "-y",
    "(x)",
    // 1–2 characters (no trigram)
    "a",
    "ab",
    "AB",
    "y",
    "\n=",
    // spanning lines, and nothing
    "api\n=====>",
    "zzz",
    "no such text anywhere",
  ];

  it.each(terms)("finds exactly the rows LIKE would for %j", (text) => {
    const expected = rows
      .filter((r) => likeWouldMatch(r, text))
      .map((r) => r.opId)
      .reverse();
    expect(ids(history, text)).toEqual(expected);
    expect(history.list(1000, 0, { text }).total).toBe(expected.length);
  });

  it("uses the index from 3 characters on, and LIKE alone below", () => {
    expect(trigramQuery("ab")).toBeNull();
    expect(trigramQuery("🚀x")).toBeNull(); // 2 code points, 3 UTF-16 units
    expect(trigramQuery('a"bcb"')).toBe('"a""b" AND """bc" AND "bcb" AND "cb"""');
    expect(trigramQuery("x\u0000yz")).toBeNull(); // FTS5 reads a query only up to a NUL
    expect(trigramQuery("x\u0000yzw")).toBe('"yzw"');
    // Take row op-9 out of the index only: a search that goes through the index no longer finds
    // it; a 2-character search (a scan) still does.
    const h = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
    h.record(row(1, { stdout: "Deploying api" }));
    h.record(row(9, { stdout: "Deploying api" }));
    expect(ids(h, "deploying")).toEqual(["op-9", "op-1"]);
    const raw = (h as unknown as { db: RelayDb }).db.$client;
    raw
      .prepare(
        "INSERT INTO commands_fts(commands_fts, rowid, argv, stdout, stderr) SELECT 'delete', id, argv, stdout, stderr FROM commands WHERE op_id = 'op-9'",
      )
      .run();
    expect(ids(h, "deploying")).toEqual(["op-1"]);
    expect(ids(h, "De")).toEqual(["op-9", "op-1"]);
  });

  it("searches text with a NUL without an FTS5 syntax error", () => {
    expect(() => history.list(10, 0, { text: "a\u0000bcd" })).not.toThrow();
  });
});

describe("the index stays in step with the commands table", () => {
  it("indexes the output a running command gets when it finishes, and drops what it replaced", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 100, maxAgeDays: 36500 });
    const id = h.start(rebuildStart("op-1", 1_700_000_000_000));
    expect(ids(h, "build failed")).toEqual([]);
    expect(ids(h, "ps:rebuild")).toEqual(["op-1"]);
    h.finish(id, {
      exitCode: 1,
      outcome: "error",
      stdout: "-----> Building api",
      stderr: "remote: build failed",
      durationMs: 5,
      finishedAt: 1_700_000_000_005,
    });
    expect(ids(h, "build failed")).toEqual(["op-1"]);
    expect(ids(h, "-----> Building")).toEqual(["op-1"]);
    h.finish(id, { exitCode: 0, outcome: "ok", stdout: "fixed", stderr: "", durationMs: 5, finishedAt: 1_700_000_000_005 });
    expect(ids(h, "build failed")).toEqual([]);
    expect(indexed(db, "fai")).toEqual([]);
    expect(indexed(db, "fix")).toEqual([id]);
    expect(h.markInterrupted()).toBe(0);
    integrityCheck(db);
  });

  it("forgets pruned rows, by age and by count", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 3, maxAgeDays: 1 });
    const now = 1_700_000_000_000 + 100 * 86_400_000;
    // Age counts from when a command ended (the chain's order): each row here ends as it starts.
    h.record(row(1, { stdout: "ancient unique-1", startedAt: now - 2 * 86_400_000, finishedAt: now - 2 * 86_400_000 }));
    for (let i = 2; i <= 6; i++) h.record(row(i, { stdout: `recent unique-${i}`, startedAt: now - i * 1000, finishedAt: now - i * 1000 }));
    expect(indexed(db, "anc")).toHaveLength(1);
    expect(h.prune(now)).toBe(3);
    // The count keeps the last rows written; they list newest start first (op-4 started last).
    expect(ids(h, "unique-")).toEqual(["op-4", "op-5", "op-6"]);
    expect(indexed(db, "anc")).toEqual([]);
    expect(indexed(db, "que")).toHaveLength(3);
    integrityCheck(db);
  });

  it("answers the same past INDEX_MAX_CANDIDATES candidates, where a scan replaces the index", () => {
    const db = openDb(":memory:");
    const h = new History(db, { maxRows: 100_000, maxAgeDays: 36500 });
    const n = INDEX_MAX_CANDIDATES + 50;
    const insert = db.$client.prepare(
      "INSERT INTO commands (op_id, host, op, app, argv, exit_code, outcome, stdout, stderr, duration_ms, requested_by, started_at, finished_at) VALUES (?, 'demo', 'apps.list', ?, '[\"dokku\"]', 0, 'ok', ?, '', 1, 'admin', ?, ?)",
    );
    db.$client.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`op-${i}`, i % 2 ? "api" : "web", i % 1000 === 7 ? "Common Term, rare tail" : "common term", i, i);
    })();
    expect(h.list(5, 0, { text: "common term" }).total).toBe(n);
    expect(h.list(3, 0, { text: "COMMON TERM, RARE" }).entries.map((e) => e.opId)).toEqual(["op-20007", "op-19007", "op-18007"]);
    const api = h.list(3, 2, { text: "common term", app: "api" });
    expect(api.total).toBe(n / 2);
    expect(api.entries.map((e) => e.opId)).toEqual(["op-20045", "op-20043", "op-20041"]);
  });
});

describe("migration 0003 indexes the rows written before it", () => {
  const dir = mkdtempSync(join(tmpdir(), "docklight-fts-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("backfills the index from the existing commands", () => {
    // The migrations folder as it was before 0003: its journal cut after 0002.
    const older = join(dir, "migrations");
    cpSync(resolve(import.meta.dirname, "../../../migrations"), older, { recursive: true });
    const journalPath = join(older, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const before = journal.entries.findIndex((e) => e.tag === "0003_history_fts");
    expect(before).toBe(3);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }));
    const file = join(dir, "relay.db");
    const sqlite = new Database(file);
    const old = drizzle(sqlite);
    migrate(old, { migrationsFolder: older });
    // Written as that relay wrote them: the columns of its schema (today's History writes later ones too).
    const insert = sqlite.prepare(
      "INSERT INTO commands (op_id, host, op, app, argv, exit_code, outcome, stdout, stderr, duration_ms, requested_by, started_at, finished_at) VALUES (?, 'demo', 'apps.restart', 'api', '[\"dokku\",\"ps:restart\",\"api\"]', 0, 'ok', ?, ?, 10, 'admin', ?, ?)",
    );
    insert.run("op-1", "written before the index", "", row(1).startedAt, row(1).finishedAt);
    insert.run("op-2", "", "also before", row(2).startedAt, row(2).finishedAt);
    sqlite.close();

    const db = openDb(file);
    const h = new History(db, { maxRows: 100, maxAgeDays: 36500 });
    expect(indexed(db, "bef")).toEqual([1, 2]);
    expect(ids(h, "before")).toEqual(["op-2", "op-1"]);
    // Migration 0005 gave them a title column, empty: they were written before history kept titles.
    expect(h.list(10, 0).entries.map((e) => e.title)).toEqual([null, null]);
    integrityCheck(db);
    db.$client.close();
  });
});
