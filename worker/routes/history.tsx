import { Hono } from "hono";
import { z } from "zod";
import { appName } from "../../protocol/names.js";
import { historyFilter, type HistoryFilter } from "../../protocol/ops.js";
import { authGuard } from "../guard/client.js";
import { HistoryPage, OUTCOMES, PAGE_SIZE, SIGN_INS_SHOWN, type HistoryQuery } from "../pages/history.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { problems } from "./input.js";
import { historyHref } from "./scope.js";

const DAY = 86_400_000;
const isoDay = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} is a date as YYYY-MM-DD`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${what} is not a real date`);

/** The query string as typed into the filter form; empty fields mean "any". Unknown keys are refused. */
const historyQuery = z
  .object({
    app: appName.optional(),
    op: z.string().max(64).regex(/^[a-z][a-zA-Z0-9.]*$/, "op is an op name such as apps.restart").optional(),
    outcome: z.enum(OUTCOMES).optional(),
    from: isoDay("from").optional(),
    to: isoDay("to").optional(),
    text: z.string().max(200, "text is at most 200 characters").optional(),
    page: z.coerce.number("page is a number").int("page is a whole number").min(1, "page starts at 1").max(100_000).optional(),
    limit: z.coerce.number("limit is a number").int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from is after to", path: ["to"] });

type ParsedQuery = z.infer<typeof historyQuery>;

function readQuery(raw: Record<string, string>): { ok: true; q: ParsedQuery; typed: HistoryQuery } | { ok: false; message: string; typed: HistoryQuery } {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, k === "text" ? v : v.trim()]));
  const typed: HistoryQuery = {
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

function filterOf(q: ParsedQuery): HistoryFilter {
  return historyFilter.parse({
    app: q.app,
    op: q.op,
    outcome: q.outcome,
    from: q.from ? Date.parse(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? Date.parse(`${q.to}T00:00:00Z`) + DAY : undefined,
    text: q.text,
  });
}

const badFilter = (message: string) => (
  <div class="outcome outcome-error" role="alert">
    <strong>Those filters are not valid; nothing was looked up.</strong>
    <pre class="message">{message}</pre>
  </div>
);

/**
 * The host's command history, `/hosts/:host/history`: filters as a GET form (bookmarkable), pages,
 * CSV/JSON export. Bad filters are answered with the page itself (or plain text for an export), the
 * filters as typed kept in the form.
 */
export const historyRoutes = new Hono<HostEnv>()
  .get("/", async (c) => {
    const { host } = c.var;
    const read = readQuery(c.req.query());
    if (!read.ok) {
      const [status, logins] = await Promise.all([host.status(), authGuard(c.env).listLogins(SIGN_INS_SHOWN)]);
      return c.html(
        <HistoryPage host={status} hosts={c.var.hosts} query={read.typed} page={1} entries={[]} total={0} error={badFilter(read.message)} logins={logins} />,
        400,
      );
    }
    const page = read.q.page ?? 1;
    const [status, outcome, logins] = await Promise.all([
      host.status(),
      host.run("history.list", { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, filter: filterOf(read.q) }),
      authGuard(c.env).listLogins(SIGN_INS_SHOWN),
    ]);
    const common = { host: status, hosts: c.var.hosts, query: read.typed, page, logins };
    if (outcome.kind !== "ok") {
      const error = <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />;
      return c.html(<HistoryPage {...common} entries={[]} total={0} error={error} />, outcomeStatus(outcome));
    }
    return c.html(<HistoryPage {...common} entries={outcome.result.entries} total={outcome.result.total} />);
  })
  /** The same filters as the page, as a download. */
  .get("/:file{export\\.(csv|json)}", async (c) => {
    const { host } = c.var;
    const format = c.req.param("file") === "export.csv" ? "csv" : "json";
    const read = readQuery(c.req.query());
    if (!read.ok) return c.text(`Those filters are not valid; nothing was exported.\n${read.message}\n`, 400);
    const outcome = await host.run("history.export", { format, filter: filterOf(read.q), limit: read.q.limit ?? 1000 });
    if (outcome.kind !== "ok") return c.text(`Export failed (${outcome.kind}): ${outcome.message}\n`, outcomeStatus(outcome));
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(outcome.result.content, 200, {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="docklight-${host.id}-history-${stamp}.${format}"`,
      "cache-control": "no-store",
    });
  });
