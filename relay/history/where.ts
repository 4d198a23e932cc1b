import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { HistoryCursor, HistoryFilter } from "../../protocol/ops/history.js";
import { commands } from "./db/schema.js";

/**
 * What history's queries select and in which order (relay/history/store.ts runs them): a filter as SQL,
 * its text search planned through migration 0003's trigram index, and the newest-first order.
 */

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
  const like = or(sql`${commands.argv} LIKE ${p} ESCAPE '\\'`, sql`${commands.stdout} LIKE ${p} ESCAPE '\\'`, sql`${commands.stderr} LIKE ${p} ESCAPE '\\'`)!;
  if (index === null) return like;
  return and(sql`${commands.id} IN (SELECT rowid FROM commands_fts WHERE commands_fts MATCH ${index})`, like)!;
}

/**
 * The WHERE of a filter; `index` is the FTS5 query to narrow a text search with, if any, and
 * `changeOps` the ops that change the host (protocol/ops.ts changeOpNames), which "changes" keeps. `plan`
 * "rows" is for reading rows in NEWEST_FIRST order: there the changes filter must not use the op
 * index (the unary + keeps SQLite from it), else SQLite gathers every change through that index
 * and sorts them all for one page, where walking the started_at index newest first, skipping
 * reads, stops after one page: at 100,000 rows, 69 ms → 2.6 ms for the first page, 194 → 27 ms at
 * offset 50,000, 123 → 9 ms for an export page (bench/catalog.ts). "count" counts through the op index.
 */
export function whereOf(f: HistoryFilter, index: string | null, plan: "rows" | "count", changeOps: readonly string[]): SQL | undefined {
  const parts: SQL[] = [];
  if (f.app !== undefined) parts.push(eq(commands.app, f.app));
  if (f.op !== undefined) parts.push(eq(commands.op, f.op));
  if (f.outcome !== undefined) parts.push(eq(commands.outcome, f.outcome));
  if (f.show === "changes") parts.push(plan === "rows" ? inArray(sql`+${commands.op}`, [...changeOps]) : inArray(commands.op, [...changeOps]));
  if (f.from !== undefined) parts.push(gte(commands.startedAt, f.from));
  if (f.to !== undefined) parts.push(lt(commands.startedAt, f.to));
  if (f.text !== undefined) parts.push(textMatch(f.text, index));
  return parts.length > 0 ? and(...parts) : undefined;
}

/**
 * History's order, newest first: by start time, then by row id for commands that started in the same
 * millisecond. Not by id alone: a read is written when it ends, so a read that started first but
 * ended last has the higher id. (The started_at index holds the rowid too, so it serves this order.)
 */
export const NEWEST_FIRST = [desc(commands.startedAt), desc(commands.id)];

/** The rows after `c` in NEWEST_FIRST order. */
export const pastCursor = (c: HistoryCursor): SQL => sql`(${commands.startedAt}, ${commands.id}) < (${c.startedAt}, ${c.id})`;
