import type { HostRef } from "../hub/outcome.js";
import type { HistoryEntry } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { OutcomeBadge, when } from "./history-row.js";
import { Layout } from "./layout.js";
import { appUrl, historyUrl } from "../urls.js";

/**
 * One command of the host's history with its whole output as the relay kept it (at most 64 KiB per
 * stream; the relay notes what it did not keep), `/hosts/:host/history/:id`. Output is text.
 */
export function HistoryEntryPage({ host, hosts, entry: e }: { host: HostStatus; hosts: HostRef[]; entry: HistoryEntry }) {
  const h = host.host;
  return (
    <Layout title={`Command ${e.id} on ${host.name}`} host={host} hosts={hosts} current="history">
      <h1>
        Command {e.id} on {host.name}
      </h1>
      <p>
        <a href={historyUrl(h)}>All history of {host.name}</a>
        {e.app ? (
          <>
            {" · "}
            <a href={appUrl(h, e.app, "/history")}>Commands for {e.app}</a>
          </>
        ) : null}
      </p>
      <dl class="facts">
        <dt>Command</dt>
        <dd>
          <code>{e.argv.join(" ")}</code>
        </dd>
        <dt>Outcome</dt>
        <dd>
          <OutcomeBadge e={e} />
        </dd>
        <dt>Op</dt>
        <dd>
          {e.op}
          {e.app ? ` · ${e.app}` : ""}
        </dd>
        <dt>Started (UTC)</dt>
        <dd>
          <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time>
        </dd>
        <dt>Duration</dt>
        <dd>{e.durationMs} ms</dd>
        <dt>By</dt>
        <dd>{e.requestedBy}</dd>
        <dt>Op id</dt>
        <dd>
          <code>{e.opId}</code>
        </dd>
      </dl>
      <h2>stdout</h2>
      {e.stdout ? <pre class="stdout">{e.stdout}</pre> : <p class="muted">Nothing.</p>}
      <h2>stderr</h2>
      {e.stderr ? <pre class="stderr">{e.stderr}</pre> : <p class="muted">Nothing.</p>}
    </Layout>
  );
}
