import { EXPORT_PAGE_ROWS, HISTORY_REPLY_BYTES, type HistoryCursor, type HistoryEntry, type HistoryFilter } from "../../protocol/ops/history.js";
import type { History } from "./store.js";
import { csvCell } from "../../protocol/csv.js";

/** The columns of a CSV export, in order (its header line). */
export const CSV_COLUMNS = [
  "id",
  "opId",
  "op",
  "app",
  "argv",
  "exitCode",
  "outcome",
  "durationMs",
  "requestedBy",
  "startedAt",
  "finishedAt",
  "stdout",
  "stderr",
  "title",
] as const;

/** One row as a CSV record, CRLF-terminated; times as ISO 8601 UTC. */
export function csvRecord(e: HistoryEntry): string {
  return `${CSV_COLUMNS.map((c) => csvCell(c === "startedAt" || c === "finishedAt" ? new Date(e[c]).toISOString() : e[c])).join(",")}\r\n`;
}

export interface ExportPageArgs {
  format: "csv" | "json";
  filter: HistoryFilter;
  /** Only rows past this one, newest first (the previous page's `next`); undefined on the first page. */
  before?: HistoryCursor;
  /** Rows the rest of the export may still hold; undefined for no limit. */
  limit?: number;
}

export interface ExportPage {
  format: "csv" | "json";
  /** Text to append to the file. */
  content: string;
  rows: number;
  /** `before` for the next page, or null when this page ends the file. */
  next: HistoryCursor | null;
}

/**
 * One page of history.export, newest first. The pages of one export, concatenated, are the file:
 * CSV (a header line, then one CRLF-terminated record per row) or JSON (one array of rows, each
 * on its own line). The first page opens the file, the last one (`next: null`) closes it. A page
 * holds at most EXPORT_PAGE_ROWS rows and stops before the row that would take it past `budget`
 * bytes (it always holds one row, if any is left); rows are read one at a time (History.scan),
 * so the relay holds at most one page and one row.
 */
export function exportPage(history: History, args: ExportPageArgs, budget = HISTORY_REPLY_BYTES): ExportPage {
  const { format, filter, before, limit } = args;
  const first = before === undefined;
  const most = Math.min(limit ?? Infinity, EXPORT_PAGE_ROWS);
  const parts: string[] = [];
  if (first) parts.push(format === "csv" ? `${CSV_COLUMNS.join(",")}\r\n` : "[");
  let bytes = 0;
  let rows = 0;
  let cursor: HistoryCursor | null = null;
  let more = false;
  for (const e of history.scan(filter, before)) {
    if (rows === most) {
      more = true;
      break;
    }
    const text = format === "csv" ? csvRecord(e) : `${first && rows === 0 ? "\n" : ",\n"}${JSON.stringify(e)}`;
    const size = Buffer.byteLength(text);
    if (rows > 0 && bytes + size > budget) {
      more = true;
      break;
    }
    parts.push(text);
    bytes += size;
    rows++;
    cursor = { startedAt: e.startedAt, id: e.id };
  }
  const last = !more || rows === limit;
  if (last && format === "json") parts.push("\n]\n");
  return { format, content: parts.join(""), rows, next: last ? null : cursor };
}
