import type { ChainReport } from "../../protocol/ops/history-chain.js";
import { AUDIT_KINDS, type AuditRow } from "../audit/events.js";
import type { Child } from "hono/jsx";
import type { HostRef } from "../hub/outcome.js";
import { activityExportUrl, activityUrl, activityVerifyUrl, historyEntryUrl, opUrl } from "../urls.js";
import { Layout } from "./layout.js";
import { utcTime } from "./time.js";
import { FilterActions, SelectFilter, TextFilter } from "./filter-fields.js";
import { Table } from "./table.js";
import { PostForm } from "./post-form.js";
import { Section } from "./section.js";

/** The Activity filters as typed (strings), echoed back into the form and kept in every link. */
export interface ActivityQuery {
  user?: string;
  host?: string;
  app?: string;
  kind?: string;
}

const KIND_TEXT: Record<(typeof AUDIT_KINDS)[number], string> = {
  "sign-in": "Sign-ins",
  invitation: "Invitations",
  user: "Users (roles, grants, suspensions)",
  host: "Hosts (enrolment, tokens, keys, verifications)",
  change: "Changes (ops that change a host)",
  read: "Reads (ops that only read)",
};

function Filters({ query, hosts }: { query: ActivityQuery; hosts: HostRef[] }) {
  return (
    <form method="get" action={activityUrl()} class="filters" role="search" aria-label="Filter the activity">
      <TextFilter id="a-user" name="user" label="User" value={query.user} maxlength={254} />
      <SelectFilter id="a-host" name="host" label="Host" any="any host" value={query.host} options={hosts.map((h) => [h.id, h.name] as const)} />
      <TextFilter id="a-app" name="app" label="App" value={query.app} maxlength={63} />
      <SelectFilter id="a-kind" name="kind" label="Kind" any="any kind" value={query.kind} options={AUDIT_KINDS.map((k) => [k, KIND_TEXT[k]] as const)} />
      <FilterActions clear={activityUrl()} />
    </form>
  );
}

/**
 * How a change ended when it was refused before it started (the edge's policy, the relay's own
 * checks: relay/ops/dispatch.ts), or was never sent: it has no page on its host, since the host
 * recorded nothing under its id. Its row says why in its outcome instead of linking a "not found".
 */
const NEVER_STARTED = new Set(["denied", "rejected", "busy", "unavailable", "bad_request", "offline"]);

/** What an event was about: its op (linking a change's own page, when it has one), its action and detail. */
function What({ e }: { e: AuditRow }) {
  const text = e.detail ? `${e.action}: ${e.detail}` : e.action;
  if (e.kind === "change" && e.host && e.ref && !NEVER_STARTED.has(e.outcome)) return <a href={opUrl(e.host, e.ref)}>{text}</a>;
  return <>{text}</>;
}

/** Events, newest first: when, kind, who, what, to whom, where, how it ended. */
export function ActivityTable({ events }: { events: AuditRow[] }) {
  if (events.length === 0) return <p>No events match.</p>;
  return (
    <Table class="activity-events" columns={["When (UTC)", "Kind", "Who", "What", "To whom", "Host", "App", "Outcome"]} wrap>
      {events.map((e) => (
        <tr class={["ok", "running", "intact"].includes(e.outcome) ? "ok" : "failed"} data-event-id={String(e.id)}>
          <td data-label="When (UTC)">
            <time datetime={new Date(e.at).toISOString()}>{utcTime(e.at)}</time>
          </td>
          <td data-label="Kind">{e.kind}</td>
          <td data-label="Who">{e.actor ?? "—"}</td>
          <td data-label="What">
            <What e={e} />
          </td>
          <td data-label="To whom">{e.subject ?? ""}</td>
          <td data-label="Host">{e.host ?? ""}</td>
          <td data-label="App">{e.app ?? ""}</td>
          <td data-label="Outcome">
            {e.outcome}
            {e.ip ? <span class="muted"> from {e.ip}</span> : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** One host's "Verify" control; `result` is what the last verification said (or why it could not run). */
export function VerifyHost({ host, result }: { host: HostRef; result?: Child }) {
  const id = `verify-${host.id}`;
  return (
    <li id={id}>
      <PostForm action={activityVerifyUrl(host.id)} target={`#${id}`} swap="outerHTML" class="inline">
        <strong>{host.name}</strong> <button type="submit">Verify history chain</button>
      </PostForm>
      {result ?? null}
    </li>
  );
}

/** What history.verify said of a host's chain: intact (rows checked, up to which seq) or each break, linking its row. */
export function ChainResult({ host, report, known }: { host: string; report: ChainReport; known: number }) {
  const against =
    known === 0
      ? "no earlier head to compare (this is the first verification)"
      : `checked against ${known} head${known === 1 ? "" : "s"} kept from earlier verifications`;
  if (report.intact) {
    return (
      <p class="outcome outcome-ok" role="status">
        Intact: {report.checked} row{report.checked === 1 ? "" : "s"} checked{report.head ? `, up to seq ${report.head.seq}` : ""}; {against}.
      </p>
    );
  }
  return (
    <div class="outcome outcome-error" role="alert">
      <strong>
        Broken: {report.breaksTotal} break{report.breaksTotal === 1 ? "" : "s"} in {report.checked} rows checked ({against}).
      </strong>
      <ul class="chain-breaks">
        {report.breaks.map((b) => (
          <li>
            <code>{b.kind}</code> {b.seq !== null ? `at seq ${b.seq}: ` : ""}
            {b.id !== null ? <a href={historyEntryUrl(host, b.id)}>{b.message}</a> : b.message}
          </li>
        ))}
      </ul>
      {report.breaksTotal > report.breaks.length ? <p>The first {report.breaks.length} are listed.</p> : null}
    </div>
  );
}

/**
 * The Activity page (owner and admin): every event of the edge's audit trail across hosts, filtered
 * by user, host, app and kind, in pages (Older keeps the filters), exported as CSV or JSON with the
 * same filters, and each host's history chain verified on demand.
 */
export function ActivityPage({
  events,
  query,
  hosts,
  older,
  error,
  status,
}: {
  events: AuditRow[];
  query: ActivityQuery;
  hosts: HostRef[];
  /** The id to page on from (`before`), when there may be older events. */
  older: number | null;
  error?: string;
  status?: HostRef & { result: Child };
}) {
  return (
    <Layout title="Activity" hosts={hosts}>
      <h1>Activity</h1>
      <p>Every sign-in, invitation, change to users and hosts, and op signed on any host, newest first.</p>
      <Filters query={query} hosts={hosts} />
      {error ? (
        <div class="outcome outcome-error" role="alert">
          <strong>Those filters are not valid; nothing was looked up.</strong>
          <pre class="message">{error}</pre>
        </div>
      ) : (
        <>
          <p class="exports">
            Export: <a href={activityExportUrl("csv", { ...query })}>CSV</a> · <a href={activityExportUrl("json", { ...query })}>JSON</a>
          </p>
          <ActivityTable events={events} />
          {older !== null ? (
            <p class="pager">
              <a href={activityUrl({ ...query, before: older })}>Older</a>
            </p>
          ) : null}
        </>
      )}
      <Section name="verify" title="Verify each host's history">
        <p>
          The relay hash-chains its history; Verify walks the chain on the host and compares it with the heads this edge kept from earlier verifications, so an
          edited, deleted or rebuilt row shows where it is.
        </p>
        <ul class="verify-hosts">
          {hosts.map((h) => (
            <VerifyHost host={h} result={status?.id === h.id ? status.result : undefined} />
          ))}
        </ul>
      </Section>
    </Layout>
  );
}
