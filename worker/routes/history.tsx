import { Hono, type Context } from "hono";
import { mayAct } from "../../protocol/policy.js";
import { z } from "zod";
import { authGuard } from "../guard/client.js";
import { HistoryEntryPage } from "../pages/history-entry.js";
import { HistoryPage, PAGE_SIZE, SIGN_INS_SHOWN } from "../pages/history.js";
import { OutcomeMessage, outcomeStatus } from "../pages/outcome.js";
import type { HostEnv } from "../types.js";
import { failedSection } from "./answers.js";
import { filterOf, readQuery } from "./history-query.js";
import { valid } from "./input.js";
import { historyHref } from "./scope.js";

/** A row of history by its id, as in `/hosts/:host/history/:id`. */
const rowId = valid(
  "param",
  z.object({ id: z.coerce.number("id is a number").int("id is a whole number").min(1, "id starts at 1").max(Number.MAX_SAFE_INTEGER) }),
);

const badFilter = (message: string) => (
  <div class="outcome outcome-error" role="alert">
    <strong>Those filters are not valid; nothing was looked up.</strong>
    <pre class="message">{message}</pre>
  </div>
);

/**
 * The host's command history, `/hosts/:host/history`: filters as a GET form (bookmarkable), pages
 * (output as excerpts, bounded by size as well as count), each row's own page with its whole
 * output, CSV/JSON export streamed page by page. Bad filters are answered with the page itself (or
 * plain text for an export), the filters as typed kept in the form.
 */
/** The sign-ins this user may see: everyone's with `activity.all` (owner, admin), else their own. */
function signInsFor(c: Context<HostEnv>) {
  const { user } = c.var;
  return authGuard(c.env).listLogins(SIGN_INS_SHOWN, mayAct(user.role, "activity.all").allowed ? null : user.name);
}

export const historyRoutes = new Hono<HostEnv>()
  .get("/", async (c) => {
    const { host } = c.var;
    const read = readQuery(c.req.query());
    if (!read.ok) {
      const [status, logins] = await Promise.all([host.status(), signInsFor(c)]);
      return c.html(
        <HistoryPage
          host={status}
          hosts={c.var.hosts}
          query={read.typed}
          offset={0}
          entries={[]}
          total={0}
          full={false}
          error={badFilter(read.message)}
          logins={logins}
        />,
        400,
      );
    }
    const offset = read.q.offset ?? 0;
    const [status, outcome, logins] = await Promise.all([
      host.status(),
      host.run("history.list", { limit: PAGE_SIZE, offset, filter: filterOf(read.q) }),
      signInsFor(c),
    ]);
    const common = { host: status, hosts: c.var.hosts, query: read.typed, offset, logins };
    if (outcome.kind !== "ok") {
      const error = <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />;
      return c.html(<HistoryPage {...common} entries={[]} total={0} full={false} error={error} />, outcomeStatus(outcome));
    }
    return c.html(<HistoryPage {...common} entries={outcome.result.entries} total={outcome.result.total} full={outcome.result.full} />);
  })
  /**
   * The same filters as the page, as a download of every matching row (or `limit` of them), newest
   * first. It streams: the host sends it a page at a time as the browser reads it.
   */
  .get("/:file{export\\.(csv|json)}", async (c) => {
    const { host } = c.var;
    const format = c.req.param("file") === "export.csv" ? "csv" : "json";
    const read = readQuery(c.req.query());
    if (!read.ok) return c.text(`Those filters are not valid; nothing was exported.\n${read.message}\n`, 400);
    // An export is not a page: it starts at the newest matching row. Said, not silently ignored.
    if (read.q.offset !== undefined)
      return c.text(
        "offset does not apply to an export, which always starts at the newest matching row; nothing was exported. Narrow it with from, to or limit instead.\n",
        400,
      );
    const download = await host.exportHistory({ format, filter: filterOf(read.q), ...(read.q.limit ? { limit: read.q.limit } : {}) });
    if (download.kind !== "ok") return c.text(`Export failed (${download.kind}): ${download.message}\n`, outcomeStatus(download));
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(download.body, 200, {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="docklight-${host.id}-history-${stamp}.${format}"`,
      "cache-control": "no-store",
    });
  })
  /** One command with its whole output. */
  .get("/:id{[0-9]+}", rowId, async (c) => {
    const { host } = c.var;
    const { id } = c.req.valid("param");
    const [status, outcome] = await Promise.all([host.status(), host.run("history.entry", { id })]);
    if (outcome.kind !== "ok") return failedSection(c, { title: `Command ${id}`, current: "history", status }, outcome);
    return c.html(<HistoryEntryPage host={status} hosts={c.var.hosts} entry={outcome.result.entry} />);
  });
