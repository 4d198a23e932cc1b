import { and, count, eq, getTableColumns, lte, sql, type SQL } from "drizzle-orm";
import { EXCERPT_CHARS, HISTORY_REPLY_BYTES, type HistoryCursor, type HistoryEntry, type HistoryFilter, type HistoryRow } from "../../protocol/ops/history.js";
import type { AnySQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { RelayDb } from "./db/open.js";
import { commands, rejections } from "./db/schema.js";
import { ReleaseStore } from "../releases/store.js";
import { droppedMarker } from "../../protocol/output-bound.js";
import { HistoryChain } from "./chain.js";
import { prepareHistoryWrites } from "./writes.js";
import { INDEX_MAX_CANDIDATES, NEWEST_FIRST, pastCursor, trigramQuery, whereOf } from "./where.js";

/** Output kept per stream per command: its first and its last half; what lies between is cut with a marker. */
export const HISTORY_OUTPUT_CAP = 64 * 1024;

/** A row to write: a HistoryEntry without its id, with the host it ran on; `title` only for a change. */
export type CommandRecord = Omit<HistoryEntry, "id" | "app" | "title"> & { host: string; app: string | null; title?: string | null };

export interface Retention {
  maxRows: number;
  maxAgeDays: number;
}

/**
 * `text` as history keeps it: whole up to `cap` characters, else its first and last `cap`/2 with a
 * droppedMarker line between (a long deploy's end says how it ended, its start what it ran).
 */
export function capOutput(text: string, cap = HISTORY_OUTPUT_CAP): string {
  if (text.length <= cap) return text;
  const half = Math.floor(cap / 2);
  return `${text.slice(0, half)}\n${droppedMarker(text.length - 2 * half)}\n${text.slice(text.length - half)}`;
}

type Row = typeof commands.$inferSelect;
const toEntry = (r: Row): HistoryEntry => ({
  id: r.id,
  opId: r.opId,
  op: r.op,
  app: r.app,
  argv: r.argv,
  exitCode: r.exitCode,
  outcome: r.outcome,
  durationMs: r.durationMs,
  requestedBy: r.requestedBy,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  stdout: r.stdout,
  stderr: r.stderr,
  title: r.title,
});

const columns = getTableColumns(commands);
const columnList = Object.entries(columns) as Array<[keyof Row, (typeof columns)[keyof typeof columns]]>;
const { stdout: _stdout, stderr: _stderr, ...metaColumns } = columns;

/**
 * An excerpt of a stream, computed in SQLite so a list never loads whole outputs: its length in
 * characters, its first EXCERPT_CHARS and the rest up to its last EXCERPT_CHARS. (SQLite's length()
 * stops at a NUL, so a stream holding one may come back whole: the reply's byte budget still holds.)
 */
function excerptOf(column: AnySQLiteColumn) {
  return {
    length: sql<number>`length(${column})`,
    head: sql<string>`substr(${column}, 1, ${EXCERPT_CHARS})`,
    tail: sql<string>`CASE WHEN length(${column}) > ${2 * EXCERPT_CHARS} THEN substr(${column}, ${-EXCERPT_CHARS}) ELSE substr(${column}, ${EXCERPT_CHARS + 1}) END`,
  };
}

/** A stream's excerpt as text: whole when short, else head, a line saying how much was cut, tail. */
function joinExcerpt(e: { length: number; head: string; tail: string }): { text: string; cut: boolean } {
  const cut = e.length - 2 * EXCERPT_CHARS;
  if (cut <= 0) return { text: e.head + e.tail, cut: false };
  return { text: `${e.head}\n[… ${cut} characters cut; the command's own page has its whole output …]\n${e.tail}`, cut: true };
}

const excerptColumns = { ...metaColumns, stdout: excerptOf(commands.stdout), stderr: excerptOf(commands.stderr) };
type ExcerptRow = Omit<Row, "stdout" | "stderr"> & Record<"stdout" | "stderr", { length: number; head: string; tail: string }>;

/** A row read through excerptColumns as history.list and history.get give it: each stream an excerpt, `cut` when either lost its middle. */
function excerptRow(r: ExcerptRow): HistoryRow {
  const stdout = joinExcerpt(r.stdout);
  const stderr = joinExcerpt(r.stderr);
  return { ...toEntry({ ...r, stdout: stdout.text, stderr: stderr.text }), cut: stdout.cut || stderr.cut };
}

/** One page of a filtered read, newest first (whole rows or excerpts: the caller chose the columns). */
function newestPage<Q extends SQLiteSelect>(query: Q, where: SQL | undefined, limit: number, offset: number): Q {
  return query
    .where(where)
    .orderBy(...NEWEST_FIRST)
    .limit(limit)
    .offset(offset);
}

/** Bytes a value adds to a reply: its JSON in UTF-8, and a separator. */
export const replyBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value)) + 1;

/** The relay's record of every command it ran, in SQLite through drizzle. */
export class History {
  private readonly writes: ReturnType<typeof prepareHistoryWrites>;
  /** The apps' releases, in the same database (relay/releases/store.ts). */
  readonly releases: ReleaseStore;
  /** The hash chain every final row joins (relay/history/chain.ts). */
  readonly chain: HistoryChain;
  /** Runs `write`, then chains the row id it returns, in one transaction. */
  private readonly final: (write: () => number) => void;

  /**
   * `changeOps` gives the ops that change the host (protocol/ops.ts changeOpNames), which a
   * "changes" filter keeps. A function, read when such a query runs: the relay loads the op
   * declarations with its op path, on the first op, not at start (relay/cli/serve.ts). Without
   * it, a "changes" filter throws; every other query works.
   */
  constructor(
    private readonly db: RelayDb,
    private readonly retention: Retention,
    private readonly changeOps: () => readonly string[] = () => {
      throw new Error("this History was not given the ops that are changes");
    },
  ) {
    this.writes = prepareHistoryWrites(db);
    this.releases = new ReleaseStore(db);
    this.chain = new HistoryChain(db.$client);
    this.final = db.$client.transaction((write: () => number) => this.chain.link(write()));
  }

  record(entry: CommandRecord): void {
    this.final(() => this.writes.insert.get({ ...entry, title: entry.title ?? null, stdout: capOutput(entry.stdout), stderr: capOutput(entry.stderr) })!.id);
  }

  /**
   * Record a command as it starts ("running"), so a relay that dies mid-command still leaves a
   * trace; `finish` completes the row. Returns the row id.
   */
  start(entry: Pick<CommandRecord, "opId" | "host" | "op" | "app" | "argv" | "requestedBy" | "startedAt" | "title">): number {
    const row = this.writes.start.get({
      ...entry,
      title: entry.title ?? null,
      exitCode: null,
      outcome: "running",
      stdout: "",
      stderr: "",
      durationMs: 0,
      finishedAt: entry.startedAt,
    });
    return row!.id;
  }

  finish(id: number, result: Pick<CommandRecord, "exitCode" | "outcome" | "stdout" | "stderr" | "durationMs" | "finishedAt">): void {
    this.final(() => {
      this.writes.finish.run({ ...result, id, stdout: capOutput(result.stdout), stderr: capOutput(result.stderr) });
      return id;
    });
  }

  /**
   * At start-up: commands still "running" belong to a relay that died; say so, with when this
   * relay found them (`now`, ms) as their end and what became of them in stderr.
   */
  markInterrupted(now = Date.now(), note = ""): number {
    return this.db.transaction(() => {
      const ids = this.db
        .update(commands)
        .set({
          outcome: "interrupted",
          finishedAt: now,
          durationMs: sql`max(0, ${now} - ${commands.startedAt})`,
          ...(note ? { stderr: sql`${commands.stderr} || ${note}` } : {}),
        })
        .where(eq(commands.outcome, "running"))
        .returning({ id: commands.id })
        .all();
      for (const { id } of ids) this.chain.link(id);
      return ids.length;
    });
  }

  /**
   * Every command one op ran, oldest first, each with excerpts of its output (as `page` gives
   * them: a reply stays under the frame cap however much the commands printed); a row's whole
   * output is `entry(id)`.
   */
  get(opId: string): HistoryRow[] {
    return this.db.select(excerptColumns).from(commands).where(eq(commands.opId, opId)).orderBy(commands.id).all().map(excerptRow);
  }

  reject(opId: string | null, op: string | null, reason: string): void {
    this.db.insert(rejections).values({ opId, op, reason, at: Date.now() }).run();
  }

  /** Newest first, filtered, whole rows, one page at a time, with the total the filter matches (for the relay itself and tests; replies use `page`). */
  list(limit: number, offset: number, filter: HistoryFilter = {}): { entries: HistoryEntry[]; total: number } {
    const where = this.where(filter);
    const rows = newestPage(this.db.select().from(commands).$dynamic(), where.rows, limit, offset).all();
    return { total: this.count(where.count), entries: rows.map(toEntry) };
  }

  /**
   * history.list's page: newest first, filtered, each row with excerpts of its output (see
   * historyRow), and no more rows than fit in `budget` bytes of JSON — then `full` is true and
   * the next page starts at offset + entries.length. The first row is always given.
   */
  page(limit: number, offset: number, filter: HistoryFilter = {}, budget = HISTORY_REPLY_BYTES): { entries: HistoryRow[]; total: number; full: boolean } {
    const where = this.where(filter);
    const rows = newestPage(this.db.select(excerptColumns).from(commands).$dynamic(), where.rows, limit, offset).all();
    const entries: HistoryRow[] = [];
    let bytes = 0;
    for (const r of rows) {
      const row = excerptRow(r);
      const size = replyBytes(row);
      if (entries.length > 0 && bytes + size > budget) return { entries, total: this.count(where.count), full: true };
      entries.push(row);
      bytes += size;
    }
    return { entries, total: this.count(where.count), full: false };
  }

  /** One row, whole, or null when there is none with this id (pruned, or never recorded). */
  entry(id: number): HistoryEntry | null {
    const row = this.db.select().from(commands).where(eq(commands.id, id)).get();
    return row ? toEntry(row) : null;
  }

  /**
   * The whole rows `filter` matches past the cursor `before` (all when undefined), newest first,
   * read one at a time from a single SQLite statement: memory holds one row however many match.
   * Stop iterating early to close the statement; no other query may run on this connection while
   * the iteration is open (better-sqlite3), so consume it synchronously.
   */
  *scan(filter: HistoryFilter, before?: HistoryCursor): Generator<HistoryEntry> {
    const where = and(this.where(filter).rows, before === undefined ? undefined : pastCursor(before));
    const query = this.db
      .select(columns)
      .from(commands)
      .where(where)
      .orderBy(...NEWEST_FIRST)
      .toSQL();
    const stmt = this.db.$client.prepare(query.sql).raw(true);
    for (const values of stmt.iterate(...query.params) as Iterable<unknown[]>) {
      // The same decoding drizzle applies to a selected row (argv is JSON text in SQLite).
      const row = Object.fromEntries(columnList.map(([key, column], i) => [key, values[i] === null ? null : column.mapFromDriverValue(values[i])])) as Row;
      yield toEntry(row);
    }
  }

  /** The WHERE of a filter to read rows with and to count them with (see whereOf), the text search planned once (indexFor). */
  private where(filter: HistoryFilter): { rows: SQL | undefined; count: SQL | undefined } {
    const index = filter.text === undefined ? null : this.indexFor(filter.text);
    const changeOps = filter.show === "changes" ? this.changeOps() : [];
    return { rows: whereOf(filter, index, "rows", changeOps), count: whereOf(filter, index, "count", changeOps) };
  }

  private count(where: SQL | undefined): number {
    return this.db.select({ n: count() }).from(commands).where(where).get()?.n ?? 0;
  }

  /**
   * The FTS5 query to narrow a search for `text` with, or null to scan: no trigram to look up, or
   * so many candidates that the scan is cheaper (one bounded look into the index decides).
   */
  private indexFor(text: string): string | null {
    const query = trigramQuery(text);
    if (query === null) return null;
    const row = this.db.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM (SELECT rowid FROM commands_fts WHERE commands_fts MATCH ${query} LIMIT ${INDEX_MAX_CANDIDATES + 1})`,
    );
    return row.n <= INDEX_MAX_CANDIDATES ? query : null;
  }

  /**
   * Drop the rows that ended before the age limit, then the oldest past the row limit, along the
   * hash chain (its order is the order rows ended), moving the chain's anchor to the last row
   * dropped so that what remains still verifies. A change still running is never dropped.
   */
  prune(now = Date.now()): number {
    const cutoff = now - this.retention.maxAgeDays * 86_400_000;
    return this.db.transaction(() => {
      const byAge = this.db.get<{ seq: number | null }>(
        sql`SELECT max(${commands.chainSeq}) AS seq FROM ${commands} WHERE ${commands.chainSeq} IS NOT NULL AND ${commands.finishedAt} < ${cutoff}`,
      ).seq;
      const byCount = this.db.get<{ seq: number | null } | undefined>(
        sql`SELECT ${commands.chainSeq} AS seq FROM ${commands} WHERE ${commands.chainSeq} IS NOT NULL ORDER BY ${commands.chainSeq} DESC LIMIT 1 OFFSET ${this.retention.maxRows}`,
      )?.seq;
      const upTo = Math.max(byAge ?? 0, byCount ?? 0);
      if (upTo === 0) return 0;
      this.chain.anchorAt(upTo);
      return this.db.delete(commands).where(lte(commands.chainSeq, upTo)).run().changes;
    });
  }
}
