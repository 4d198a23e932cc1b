import { z } from "zod";
import { appName } from "../../protocol/names.js";
import { EXPORT_MAX_ROWS, historyFilter, historyShow, opNames, type HistoryFilter } from "../../protocol/ops.js";
import { OUTCOMES, type HistoryQuery } from "../pages/history.js";
import { problems } from "./input.js";

/**
 * The history pages' query strings (the host's History page and its exports, an app's History tab):
 * what the filter forms send, checked before any op is sent.
 */

const DAY = 86_400_000;
/**
 * A day as YYYY-MM-DD, from 1970-01-01 on (history's times are ms since then, and the relay's filter
 * refuses anything before). One message per field: each check stops the ones after it.
 */
const isoDay = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${what} is a date as YYYY-MM-DD`, abort: true })
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      message: `${what} is not a real date`,
      abort: true,
    })
    .refine((s) => s >= "1970-01-01", `${what} is before 1970-01-01, before any history`);

/** Which commands a history page lists: the changes unless `show=all` asks for reads too. */
export const showChoice = historyShow.default("changes");

/** The query string as typed into the filter form; empty fields mean "any". Unknown keys are refused. */
const historyQuery = z
  .object({
    show: showChoice,
    app: appName.optional(),
    op: z.enum(opNames, { error: (i) => `${String(i.input).slice(0, 64)} is not an op of the catalog: choose one from the list` }).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    from: isoDay("from").optional(),
    to: isoDay("to").optional(),
    text: z.string().max(200, "text is at most 200 characters").optional(),
    offset: z.coerce.number("offset is a number").int("offset is a whole number").min(0, "offset starts at 0").max(10_000_000).optional(),
    limit: z.coerce.number("limit is a number").int("limit is a whole number").min(1, "limit is at least 1").max(EXPORT_MAX_ROWS).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from is after to", path: ["to"] });

export type ParsedQuery = z.infer<typeof historyQuery>;

/**
 * The host history's query string, parsed, with the fields as typed (trimmed, empty ones dropped)
 * to echo back into the form; `message` says what was wrong when it does not parse.
 */
export function readQuery(
  raw: Record<string, string>,
): { ok: true; q: ParsedQuery; typed: HistoryQuery } | { ok: false; message: string; typed: HistoryQuery } {
  const cleaned = Object.fromEntries(
    Object.entries(raw)
      .filter(([, v]) => v.trim() !== "")
      .map(([k, v]) => [k, k === "text" ? v : v.trim()]),
  );
  const typed: HistoryQuery = {
    show: cleaned.show,
    app: cleaned.app,
    op: cleaned.op,
    outcome: cleaned.outcome,
    from: cleaned.from,
    to: cleaned.to,
    text: cleaned.text,
  };
  const parsed = historyQuery.safeParse(cleaned);
  if (!parsed.success) return { ok: false, message: problems(parsed.error), typed };
  return { ok: true, q: parsed.data, typed };
}

/** The relay's filter (history.list, history.export) for a parsed query: days as [from 00:00, to+1 00:00) UTC. */
export function filterOf(q: ParsedQuery): HistoryFilter {
  return historyFilter.parse({
    show: q.show,
    app: q.app,
    op: q.op,
    outcome: q.outcome,
    from: q.from ? Date.parse(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? Date.parse(`${q.to}T00:00:00Z`) + DAY : undefined,
    text: q.text,
  });
}
