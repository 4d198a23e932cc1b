import { z } from "zod";
import { appName } from "../names.js";
import { read } from "./spec.js";

/** The relay's record of every command it ran on the host. */

/**
 * How a recorded command ended: its exit status, or stopped at its time limit (timeout), by an
 * explicit Cancel or its log viewers leaving (cancelled), or for printing past the output cap
 * (killed); "running" while it runs; "interrupted" if the relay died before it finished (the
 * restarted relay stops what is left of it). Also the values of the history table's outcome
 * column (relay/db/schema.ts).
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
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/** Filters shared by history.list and history.export. All optional; combined with AND. */
export const historyFilter = z
  .object({
    app: appName.optional(),
    op: z.string().max(64).regex(/^[a-z][a-zA-Z0-9.]*$/, "op is an op name such as apps.restart").optional(),
    outcome: historyOutcome.optional(),
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

export const historyOps = {
  /** Every command one op ran, whole (as history keeps it): a change's own page once it ended. */
  "history.get": read({
    args: z.object({ opId: z.string().uuid() }).strict(),
    result: z.object({ entries: z.array(historyEntry) }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  "history.list": read({
    args: z
      .object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        filter: historyFilter.default({}),
      })
      .strict(),
    result: z.object({ entries: z.array(historyEntry), total: z.number().int() }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  "history.export": read({
    args: z
      .object({
        format: exportFormat,
        filter: historyFilter.default({}),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
    result: z.object({ format: exportFormat, content: z.string(), rows: z.number().int() }),
    timeoutMs: 30_000,
    freshMs: 0,
  }),
} as const;
