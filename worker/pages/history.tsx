import { HISTORY_OUTCOMES, opNames, type HistoryEntry, type HistoryRow } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import { Layout } from "./layout.js";
import { OutcomeBadge, when } from "./history-row.js";

export { OutcomeBadge, when };
import { SignInsTable } from "./sign-ins.js";
import type { LoginRecord } from "../guard/auth-guard.js";

export const OUTCOMES = HISTORY_OUTCOMES;

/** The last few changes on the host, for the dashboard. */
export function RecentActivity({ host, entries }: { host: string; entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p>Nothing has been changed on this host through Docklight yet.</p>;
  return (
    <ol class="activity">
      {entries.map((e) => (
        <li>
          <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time> <OutcomeBadge e={e} /> <code>{e.argv.join(" ")}</code>{" "}
          <span class="muted">by {e.requestedBy}</span>
        </li>
      ))}
      <li class="more">
        <a href={`/hosts/${host}/history`}>All history</a>
      </li>
    </ol>
  );
}

/** The filter form's values as typed (strings), echoed back into the form. */
export interface HistoryQuery {
  app?: string;
  op?: string;
  outcome?: string;
  from?: string;
  to?: string;
  text?: string;
}

export const PAGE_SIZE = 50;

function FilterForm({ host, query }: { host: string; query: HistoryQuery }) {
  return (
    <form method="get" action={`/hosts/${host}/history`} class="filters" role="search" aria-label="Filter the history">
      <div>
        <label for="f-app">App</label>
        <input id="f-app" name="app" value={query.app ?? ""} maxlength={63} autocomplete="off" />
      </div>
      <div>
        <label for="f-op">Op</label>
        <input id="f-op" name="op" value={query.op ?? ""} list="f-ops" maxlength={64} autocomplete="off" />
        <datalist id="f-ops">
          {opNames.map((o) => (
            <option value={o} />
          ))}
        </datalist>
      </div>
      <div>
        <label for="f-outcome">Outcome</label>
        <select id="f-outcome" name="outcome">
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option value={o} selected={query.outcome === o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-from">From (UTC)</label>
        <input id="f-from" name="from" type="date" value={query.from ?? ""} />
      </div>
      <div>
        <label for="f-to">To (UTC, inclusive)</label>
        <input id="f-to" name="to" type="date" value={query.to ?? ""} />
      </div>
      <div>
        <label for="f-text">Text in command or output</label>
        <input id="f-text" name="text" type="search" value={query.text ?? ""} maxlength={200} />
      </div>
      <div class="filter-actions">
        <button type="submit">Filter</button>
        <a href={`/hosts/${host}/history`}>Clear</a>
      </div>
    </form>
  );
}

function qs(query: HistoryQuery, offset?: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) p.set(k, v);
  if (offset && offset > 0) p.set("offset", String(offset));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Where one history row is shown whole (its full output). */
export const historyRowHref = (host: string, id: number) => `/hosts/${host}/history/${id}`;

/** History rows in a table, each stream's excerpt expandable, each row linking to its own page (the whole output). */
export function HistoryTable({ host, entries }: { host: string; entries: HistoryRow[] }) {
  return (
    <table class="history">
      <thead>
        <tr>
          <th scope="col">When (UTC)</th>
          <th scope="col">Command</th>
          <th scope="col">Exit</th>
          <th scope="col">Duration</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr class={e.outcome === "ok" ? "ok" : "failed"} data-history-id={String(e.id)}>
            <td>
              <a href={historyRowHref(host, e.id)} title="This command's own page">
                <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time>
              </a>
            </td>
            <td>
              <code>{e.argv.join(" ")}</code>
              <span class="muted op">
                {" "}
                {e.op}
                {e.app ? ` · ${e.app}` : ""}
              </span>
              {e.stdout || e.stderr ? (
                <details>
                  <summary>Output</summary>
                  {e.stdout ? (
                    <>
                      <p class="stream-name">stdout</p>
                      <pre class="stdout">{e.stdout}</pre>
                    </>
                  ) : null}
                  {e.stderr ? (
                    <>
                      <p class="stream-name">stderr</p>
                      <pre class="stderr">{e.stderr}</pre>
                    </>
                  ) : null}
                  {e.cut ? (
                    <p class="cut">
                      Shortened here. <a href={historyRowHref(host, e.id)}>The whole output</a>
                    </p>
                  ) : null}
                </details>
              ) : null}
            </td>
            <td>
              <OutcomeBadge e={e} />
            </td>
            <td>{e.durationMs} ms</td>
            <td>{e.requestedBy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many sign-ins the history page lists. */
export const SIGN_INS_SHOWN = 20;

export function HistoryPage({
  host,
  hosts,
  query,
  offset,
  entries,
  total,
  full,
  error,
  logins,
}: {
  host: HostStatus;
  hosts: string[];
  query: HistoryQuery;
  /** Rows before this page (newest first). */
  offset: number;
  entries: HistoryRow[];
  total: number;
  /** The page holds fewer than PAGE_SIZE rows because their output filled the reply. */
  full: boolean;
  /** A filter that did not parse, or the op's failure: shown above an empty table. */
  error?: Child;
  /** The dashboard's latest sign-ins (edge-wide, not per host). */
  logins: LoginRecord[];
}) {
  const h = host.host;
  const first = offset + 1;
  const last = offset + entries.length;
  const filters = qs(query);
  return (
    <Layout title={`History of ${h}`} host={host} hosts={hosts} current="history">
      <h1>Command history on {h}</h1>
      <FilterForm host={h} query={query} />
      {error ?? null}
      {error ? null : (
        <>
          <p class="history-summary">
            {total === 0 ? "No commands match." : entries.length === 0 ? `No commands past ${offset} of ${total}.` : `Commands ${first}–${last} of ${total}, newest first.`}
            {full ? " This page ends early: its commands' output filled it." : ""}{" "}
            <span class="exports">
              Export: <a href={`/hosts/${h}/history/export.csv${filters}`}>CSV</a> · <a href={`/hosts/${h}/history/export.json${filters}`}>JSON</a>
            </span>
          </p>
          {entries.length > 0 ? <HistoryTable host={h} entries={entries} /> : null}
          {offset > 0 || last < total ? (
            <nav class="pager" aria-label="Pages">
              {offset > 0 ? <a href={`/hosts/${h}/history${qs(query, Math.max(0, offset - PAGE_SIZE))}`} rel="prev">Newer</a> : null}
              {last < total ? <a href={`/hosts/${h}/history${qs(query, last)}`} rel="next">Older</a> : null}
            </nav>
          ) : null}
        </>
      )}
      <section aria-labelledby="sign-ins-h">
        <h2 id="sign-ins-h">Sign-ins to this dashboard</h2>
        <p class="muted">
          Every attempt, for all hosts, newest first (the last {SIGN_INS_SHOWN}). <a href="/account">Account</a> has two-factor sign-in and log out
          everywhere.
        </p>
        <SignInsTable logins={logins} />
      </section>
    </Layout>
  );
}
