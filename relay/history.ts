import { and, count, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { HistoryEntry, HistoryFilter } from "../protocol/ops.js";
import type { RelayDb } from "./db/open.js";
import { commands, rejections } from "./db/schema.js";

/** Output kept per stream per command; the rest is cut with a marker. */
export const HISTORY_OUTPUT_CAP = 64 * 1024;

export type CommandRecord = Omit<HistoryEntry, "id" | "app"> & { host: string; app: string | null };

export interface Retention {
  maxRows: number;
  maxAgeDays: number;
}

export function capOutput(text: string, cap = HISTORY_OUTPUT_CAP): string {
  if (text.length <= cap) return text;
  return `${text.slice(0, cap)}\n[… ${text.length - cap} more characters not kept]`;
}

/** Escape LIKE wildcards so the user's text is matched literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The FTS5 query of migration 0003's trigram index (`commands_fts`, detail='none') for rows that
 * may hold `text`: every distinct run of 3 characters (code points, as the trigram tokenizer
 * counts them) as an FTS5 string — in double quotes, `"` doubled — joined with AND. A row holding
 * `text` holds all of them, so the rows found are a superset of the LIKE matches (the index folds
 * Unicode case, LIKE only ASCII). Null when `text` has no usable trigram: under 3 characters, or
 * NUL in every run (FTS5 reads its query up to a NUL).
 */
export function trigramQuery(text: string): string | null {
  const chars = [...text];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const gram = chars.slice(i, i + 3).join("");
    if (!gram.includes("\u0000")) grams.add(`"${gram.replace(/"/g, '""')}"`);
  }
  return grams.size > 0 ? [...grams].join(" AND ") : null;
}

/**
 * Past this many candidate rows the index costs more than it saves: listing the candidates and
 * looking each row up costs about 1 ms per 1,000, one LIKE scan of 100,000 rows about 25–50 ms
 * (bench/catalog.ts), so the plain scan runs instead.
 */
export const INDEX_MAX_CANDIDATES = 20_000;

/**
 * `text` as a case-insensitive (ASCII, as SQLite's LIKE) substring of argv, stdout or stderr.
 * With `index`, the FTS5 query picks candidate rows first; LIKE always decides, so both plans
 * return exactly the same rows.
 */
function textMatch(text: string, index: string | null): SQL {
  const p = likePattern(text);
  const like = or(
    sql`${commands.argv} LIKE ${p} ESCAPE '\\'`,
    sql`${commands.stdout} LIKE ${p} ESCAPE '\\'`,
    sql`${commands.stderr} LIKE ${p} ESCAPE '\\'`,
  )!;
  if (index === null) return like;
  return and(sql`${commands.id} IN (SELECT rowid FROM commands_fts WHERE commands_fts MATCH ${index})`, like)!;
}

/** The WHERE of a filter; `index` is the FTS5 query to narrow a text search with, if any. */
function whereOf(f: HistoryFilter, index: string | null): SQL | undefined {
  const parts: SQL[] = [];
  if (f.app !== undefined) parts.push(eq(commands.app, f.app));
  if (f.op !== undefined) parts.push(eq(commands.op, f.op));
  if (f.outcome !== undefined) parts.push(eq(commands.outcome, f.outcome));
  if (f.from !== undefined) parts.push(gte(commands.startedAt, f.from));
  if (f.to !== undefined) parts.push(lt(commands.startedAt, f.to));
  if (f.text !== undefined) parts.push(textMatch(f.text, index));
  return parts.length > 0 ? and(...parts) : undefined;
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
});

const CSV_COLUMNS = ["id", "opId", "op", "app", "argv", "exitCode", "outcome", "durationMs", "requestedBy", "startedAt", "finishedAt", "stdout", "stderr"] as const;

/**
 * One CSV cell: formula-safe (a cell starting with = + - @ tab or CR gets a leading ' so a
 * spreadsheet shows it as text) and quoted per RFC 4180.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(entries: HistoryEntry[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const e of entries) lines.push(CSV_COLUMNS.map((c) => csvCell(c === "startedAt" || c === "finishedAt" ? new Date(e[c]).toISOString() : e[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The relay's record of every command it ran, in SQLite through drizzle. */
export class History {
  constructor(
    private readonly db: RelayDb,
    private readonly retention: Retention,
  ) {}

  record(entry: CommandRecord): void {
    this.db
      .insert(commands)
      .values({ ...entry, stdout: capOutput(entry.stdout), stderr: capOutput(entry.stderr) })
      .run();
  }

  /**
   * Record a command as it starts ("running"), so a relay that dies mid-command still leaves a
   * trace; `finish` completes the row. Returns the row id.
   */
  start(entry: Pick<CommandRecord, "opId" | "host" | "op" | "app" | "argv" | "requestedBy" | "startedAt">): number {
    const row = this.db
      .insert(commands)
      .values({ ...entry, exitCode: null, outcome: "running", stdout: "", stderr: "", durationMs: 0, finishedAt: entry.startedAt })
      .returning({ id: commands.id })
      .get();
    return row.id;
  }

  finish(id: number, result: Pick<CommandRecord, "exitCode" | "outcome" | "stdout" | "stderr" | "durationMs" | "finishedAt">): void {
    this.db
      .update(commands)
      .set({ ...result, stdout: capOutput(result.stdout), stderr: capOutput(result.stderr) })
      .where(eq(commands.id, id))
      .run();
  }

  /**
   * At start-up: commands still "running" belong to a relay that died; say so, with when this
   * relay found them (`now`, ms) as their end and what became of them in stderr.
   */
  markInterrupted(now = Date.now(), note = ""): number {
    return this.db
      .update(commands)
      .set({
        outcome: "interrupted",
        finishedAt: now,
        durationMs: sql`max(0, ${now} - ${commands.startedAt})`,
        ...(note ? { stderr: sql`${commands.stderr} || ${note}` } : {}),
      })
      .where(eq(commands.outcome, "running"))
      .run().changes;
  }

  /** Every command one op ran, oldest first, whole (as kept). */
  get(opId: string): HistoryEntry[] {
    return this.db.select().from(commands).where(eq(commands.opId, opId)).orderBy(commands.id).all().map(toEntry);
  }

  reject(opId: string | null, op: string | null, reason: string): void {
    this.db.insert(rejections).values({ opId, op, reason, at: Date.now() }).run();
  }

  /** Newest first, filtered, one page at a time, with the total the filter matches. */
  list(limit: number, offset: number, filter: HistoryFilter = {}): { entries: HistoryEntry[]; total: number } {
    const where = whereOf(filter, filter.text === undefined ? null : this.indexFor(filter.text));
    const rows = this.db.select().from(commands).where(where).orderBy(desc(commands.id)).limit(limit).offset(offset).all();
    const total = this.db.select({ n: count() }).from(commands).where(where).get()?.n ?? 0;
    return { total, entries: rows.map(toEntry) };
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

  export(format: "csv" | "json", filter: HistoryFilter, limit: number): { format: "csv" | "json"; content: string; rows: number } {
    const { entries } = this.list(limit, 0, filter);
    return { format, rows: entries.length, content: format === "csv" ? toCsv(entries) : JSON.stringify(entries) };
  }

  /** Drop rows older than the age limit, then the oldest rows past the row limit. */
  prune(now = Date.now()): number {
    const cutoff = now - this.retention.maxAgeDays * 86_400_000;
    const byAge = this.db.delete(commands).where(lt(commands.startedAt, cutoff)).run().changes;
    const byCount = this.db
      .delete(commands)
      .where(
        sql`${commands.id} <= (SELECT id FROM ${commands} ORDER BY id DESC LIMIT 1 OFFSET ${this.retention.maxRows})`,
      )
      .run().changes;
    return byAge + byCount;
  }
}
