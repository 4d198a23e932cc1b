import type { HostRef } from "../hub/outcome.js";
import { HISTORY_OUTCOMES, isChangeOp, opNames, type HistoryEntry, type HistoryRow } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import { Layout } from "./layout.js";
import { FilterForm, shownOf, type HistoryQuery } from "./history-filters.js";
import { OutcomeBadge, when } from "./history-row.js";
import { historyEntryUrl, historyExportUrl, historyUrl, opUrl } from "../urls.js";

export { OutcomeBadge, when, type HistoryQuery };
import { SignInsTable } from "./sign-ins.js";
import type { LoginRecord } from "../guard/auth-guard.js";
import { Table } from "./table.js";
import { Section } from "./section.js";

export const OUTCOMES = HISTORY_OUTCOMES;

/** The last few changes on the host, for the dashboard. */
/** A change's title as history kept it, linking the change's own page; nothing for a read or an older row. */
function ChangeTitle({ host, e }: { host: string; e: Pick<HistoryEntry, "title" | "opId"> }) {
  return e.title ? (
    <a class="change-title" href={opUrl(host, e.opId)} title="This change's own page">
      {e.title}
    </a>
  ) : null;
}

export function RecentActivity({ host, entries }: { host: string; entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p>Nothing has been changed on this host through Docklight yet.</p>;
  return (
    <ol class="activity">
      {entries.map((e) => (
        <li>
          <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time> <OutcomeBadge e={e} /> <ChangeTitle host={host} e={e} />
          <code>{e.argv.join(" ")}</code> <span class="muted">by {e.requestedBy}</span>
        </li>
      ))}
      <li class="more">
        <a href={historyUrl(host)}>All history</a>
      </li>
    </ol>
  );
}

export const PAGE_SIZE = 50;

/** History rows in a table, each stream's excerpt expandable, each row linking to its own page (the whole output). */
export function HistoryTable({ host, entries }: { host: string; entries: HistoryRow[] }) {
  return (
    <Table class="history" columns={["When (UTC)", "Command", "Exit", "Duration", "By"]}>
      {entries.map((e) => (
        <tr class={e.outcome === "ok" ? "ok" : "failed"} data-history-id={String(e.id)}>
          <td data-label="When (UTC)">
            <a href={historyEntryUrl(host, e.id)} title="This command's own page">
              <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time>
            </a>
          </td>
          <td data-label="Command">
            <ChangeTitle host={host} e={e} />
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
                    Shortened here. <a href={historyEntryUrl(host, e.id)}>The whole output</a>
                  </p>
                ) : null}
              </details>
            ) : null}
          </td>
          <td data-label="Exit">
            <OutcomeBadge e={e} />
          </td>
          <td data-label="Duration">{e.durationMs} ms</td>
          <td data-label="By">{e.requestedBy}</td>
        </tr>
      ))}
    </Table>
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
  hosts: HostRef[];
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
  const show = shownOf(query.show);
  const noun = show === "all" ? "commands" : "changes";
  /** The op filter's op when it is a read: the changes alone never list it. */
  const readOp = opNames.find((o) => o === query.op && !isChangeOp(o));
  return (
    <Layout title={`History of ${host.name}`} host={host} hosts={hosts} current="history">
      <h1>Command history on {host.name}</h1>
      <FilterForm host={h} query={query} />
      {error ?? null}
      {error ? null : (
        <>
          <p class="history-summary">
            {total === 0
              ? `No ${noun} match.`
              : entries.length === 0
                ? `No ${noun} past ${offset} of ${total}.`
                : `${noun === "changes" ? "Changes" : "Commands"} ${first}–${last} of ${total}, newest first.`}
            {full ? " This page ends early: its commands' output filled it." : ""}{" "}
            <span class="exports">
              Export: <a href={historyExportUrl(h, "csv", { ...query })}>CSV</a> · <a href={historyExportUrl(h, "json", { ...query })}>JSON</a>
            </span>
          </p>
          {show === "changes" ? (
            <p class="muted reads-hidden">
              {readOp ? `${readOp} is a read, and reads are` : "Reads (lists, reports, and reads that failed) are"} left out:{" "}
              <a href={historyUrl(h, { ...query, show: "all" })}>All commands</a> lists them too.
            </p>
          ) : null}
          {entries.length > 0 ? <HistoryTable host={h} entries={entries} /> : null}
          {offset > 0 || last < total ? (
            <nav class="pager" aria-label="Pages">
              {offset > 0 ? (
                <a href={historyUrl(h, { ...query, offset: Math.max(0, offset - PAGE_SIZE) || undefined })} rel="prev">
                  Newer
                </a>
              ) : null}
              {last < total ? (
                <a href={historyUrl(h, { ...query, offset: last || undefined })} rel="next">
                  Older
                </a>
              ) : null}
            </nav>
          ) : null}
        </>
      )}
      <Section name="sign-ins" title="Sign-ins to this dashboard">
        <p class="muted">
          Every attempt, for all hosts, newest first (the last {SIGN_INS_SHOWN}). <a href="/account">Account</a> has two-factor sign-in and log out everywhere.
        </p>
        <SignInsTable logins={logins} />
      </Section>
    </Layout>
  );
}
