import { z } from "zod";
import { CHAIN_KNOWN_MAX, chainLink, chainReport } from "./history-chain.js";
import { CHANGE_TITLE_MAX, MAX_FRAME_BYTES } from "../frames.js";
import { appName } from "../names.js";
import { read } from "./spec.js";

/** The relay's record of every command it ran on the host. */

/**
 * How a recorded command ended: its exit status, or stopped at its time limit (timeout), by an
 * explicit Cancel or its log viewers leaving (cancelled), or for printing past the output cap
 * (killed); "running" while it runs; "interrupted" if the relay died before it finished (the
 * restarted relay stops what is left of it). Also the values of the history table's outcome
 * column (relay/history/db/schema.ts).
 */
export const HISTORY_OUTCOMES = ["ok", "error", "timeout", "killed", "cancelled", "running", "interrupted"] as const;
export const historyOutcome = z.enum(HISTORY_OUTCOMES);
export type HistoryOutcome = z.infer<typeof historyOutcome>;

export const historyEntry = z.object({
  id: z.number().int(),
  opId: z.string(),
  op: z.string(),
  app: z.string().nullable(),
  argv: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  outcome: historyOutcome,
  durationMs: z.number().int().min(0),
  requestedBy: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
  /**
   * A change's human title as it ran (protocol/ops.ts changeTitle: app, plugin and service names,
   * never a config value); null for a read, and for a change recorded before history kept titles
   * (absent from relays that did not send it).
   */
  title: z.string().max(CHANGE_TITLE_MAX).nullable().default(null),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/**
 * Bytes (UTF-8 JSON) of history rows one reply may carry: half a frame (MAX_FRAME_BYTES), so a
 * page, or an export's page, never comes near the cap. A reply stops adding rows before it would
 * pass this; one row alone may pass it (a row's two streams are each at most 64 KiB of text, still
 * under the cap even fully JSON-escaped).
 */
export const HISTORY_REPLY_BYTES = MAX_FRAME_BYTES / 2;

/** Characters of each stream a list row keeps from its start, and as many from its end. */
export const EXCERPT_CHARS = 1024;

/**
 * A row as a list shows it: `stdout` and `stderr` are excerpts — a stream longer than
 * 2 × EXCERPT_CHARS keeps its first and last EXCERPT_CHARS characters around a line saying how
 * many were cut — and `cut` says whether either stream was shortened. The whole row is
 * history.entry's.
 */
export const historyRow = historyEntry.extend({ cut: z.boolean() });
export type HistoryRow = z.infer<typeof historyRow>;

/**
 * Which commands a history query covers: "changes", the commands of ops that change the host (each
 * op's `mutates`, protocol/ops.ts), or "all", reads too (apps.list, ps:report, failed reads…).
 */
export const HISTORY_SHOW = ["changes", "all"] as const;
export const historyShow = z.enum(HISTORY_SHOW, "show is changes or all");
export type HistoryShow = z.infer<typeof historyShow>;

/** Filters shared by history.list and history.export. All optional; combined with AND. */
export const historyFilter = z
  .object({
    app: appName.optional(),
    op: z
      .string()
      .max(64)
      .regex(/^[a-z][a-zA-Z0-9.]*$/, "op is an op name such as apps.restart")
      .optional(),
    outcome: historyOutcome.optional(),
    /** Only changes, or every command (absent: every command, as before this filter existed). */
    show: historyShow.optional(),
    /** Started at or after (ms since epoch). */
    from: z.number().int().min(0).optional(),
    /** Started before (ms since epoch). */
    to: z.number().int().min(0).optional(),
    /** Substring of argv, stdout or stderr (case-insensitive). */
    text: z.string().min(1).max(200).optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof historyFilter>;

const exportFormat = z.enum(["csv", "json"]);

/**
 * Where the next page of an export starts: just past this row in history's order, newest first by
 * start time, then by row id (two commands can start in the same millisecond).
 */
export const historyCursor = z.object({ startedAt: z.number().int(), id: z.number().int().min(1) }).strict();
export type HistoryCursor = z.infer<typeof historyCursor>;

/** Most rows one page of an export carries (fewer once it holds HISTORY_REPLY_BYTES). */
export const EXPORT_PAGE_ROWS = 5000;
/** Most rows an export may be limited to (history itself keeps 100,000 by default). */
export const EXPORT_MAX_ROWS = 10_000_000;

export const historyOps = {
  /** Every command one op ran, with excerpts of its output (a change's own page once it ended; each row's whole output is history.entry). */
  "history.get": read({
    access: { scope: "host", area: "history" },
    args: z.object({ opId: z.string().uuid() }).strict(),
    result: z.object({ entries: z.array(historyRow) }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  "history.list": read({
    access: { scope: "host", area: "history", appFilter: true },
    args: z
      .object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        filter: historyFilter.default({}),
      })
      .strict(),
    result: z.object({
      /** Newest first, as excerpts; fewer than `limit` when the next row would pass HISTORY_REPLY_BYTES. */
      entries: z.array(historyRow),
      /** Rows the filter matches in all. */
      total: z.number().int(),
      /** The page stopped before `limit` rows because it was full (HISTORY_REPLY_BYTES); more may follow at offset + entries.length. */
      full: z.boolean(),
    }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  /** One row, whole: its output as kept (at most 64 KiB per stream); not_found if pruned or never there. */
  "history.entry": read({
    access: { scope: "host", area: "history" },
    args: z.object({ id: z.number().int().min(1) }).strict(),
    result: z.object({ entry: historyEntry }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  /**
   * One page of an export, newest first: the text to append to the download, and the cursor of the
   * next page (the edge asks for it only once this one is delivered, so neither side ever holds
   * more than a page). The first page (no `before`) opens the file (CSV header, JSON "["); the page
   * with `next: null` closes it. See relay/history/export.ts.
   */
  "history.export": read({
    access: { scope: "host", area: "history", appFilter: true },
    args: z
      .object({
        format: exportFormat,
        filter: historyFilter.default({}),
        /** Only rows past this one, newest first: the `next` of the page before. */
        before: historyCursor.optional(),
        /** Rows the rest of the export may still hold (absent: all the filter matches); the page that reaches it ends the export. */
        limit: z.number().int().min(1).max(EXPORT_MAX_ROWS).optional(),
      })
      .strict(),
    result: z.object({
      format: exportFormat,
      content: z.string(),
      rows: z.number().int(),
      /** `before` for the next page; null when this page ends the export. */
      next: historyCursor.nullable(),
    }),
    timeoutMs: 30_000,
    freshMs: 0,
  }),
  /**
   * Walk history's hash chain (protocol/ops/history-chain.ts): every kept row against its hash and
   * the row before it, and the heads the edge was shown before (`known`), which it keeps and hands
   * back so a chain rebuilt whole on the host still shows.
   */
  "history.verify": read({
    access: { scope: "host", area: "history" },
    args: z.object({ known: z.array(chainLink).max(CHAIN_KNOWN_MAX).default([]) }).strict(),
    result: chainReport,
    timeoutMs: 60_000,
    freshMs: 0,
  }),
} as const;
