import { csvLine } from "../../protocol/csv.js";
import { AUDIT_CSV_COLUMNS, type AuditFilter, type AuditRow } from "./events.js";
import { AUDIT_PAGE_MAX } from "./store.js";

/** Reads one page of events (newest first, older than `filter.before`), as AuditStore.list does. */
export type AuditPager = (filter: AuditFilter, limit: number) => Promise<AuditRow[]>;

/** One event as a CSV record: times in ISO 8601 UTC, every cell formula-safe (protocol/csv.ts). */
export function auditCsvRecord(e: AuditRow): string {
  return csvLine(AUDIT_CSV_COLUMNS.map((c) => (c === "at" ? new Date(e.at).toISOString() : e[c])));
}

/** One event as a line of the JSON export (the row, `at` also as ISO 8601 UTC in `time`). */
function jsonRecord(e: AuditRow): string {
  return JSON.stringify({ ...e, time: new Date(e.at).toISOString() });
}

/**
 * Every event matching `filter`, newest first, as a CSV file (a header line, then one
 * CRLF-terminated record per event) or a JSON array (one event a line). It streams: the next page
 * of AUDIT_PAGE_MAX events is read from the Team object only once the download has taken the last,
 * so neither side holds more than a page. A page that fails to read breaks the download off
 * (an error, not a file that ends short).
 */
export function auditExport(read: AuditPager, filter: AuditFilter, format: "csv" | "json"): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let before = filter.before;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      const page = await read({ ...filter, ...(before !== undefined ? { before } : {}) }, AUDIT_PAGE_MAX);
      let text = "";
      if (first) text += format === "csv" ? csvLine(AUDIT_CSV_COLUMNS) : "[";
      for (const [i, e] of page.entries()) {
        text += format === "csv" ? auditCsvRecord(e) : `${first && i === 0 ? "\n" : ",\n"}${jsonRecord(e)}`;
      }
      first = false;
      if (page.length < AUDIT_PAGE_MAX) {
        done = true;
        if (format === "json") text += "\n]\n";
      } else {
        before = page.at(-1)!.id;
      }
      controller.enqueue(enc.encode(text));
    },
  });
}
