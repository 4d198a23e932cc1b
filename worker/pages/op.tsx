import type { HostRef } from "../hub/outcome.js";
import type { JobInfo } from "../../protocol/frames.js";
import { changeTitle } from "../../protocol/ops.js";
import type { HistoryRow } from "../../protocol/ops/history.js";
import type { HostStatus } from "../hub/outcome.js";
import { Layout, RunningOpsLoader } from "./layout.js";
import { OutcomeBadge, when } from "./history-row.js";
import { appUrl, historyEntryUrl, hostUrl, opUrl } from "../urls.js";

/** A running change's human title: the one its relay sent, else from its declaration (a relay too old to send one). */
export const jobTitle = (job: JobInfo): string => job.title ?? changeTitle(job.op, job.app);

/** What stopping a change half-way can leave behind, said before anyone confirms a Cancel. */
export const CANCEL_WARNING =
  "Cancel this change? The command is stopped where it is. A deploy stopped half-way can leave the app locked (Deploy tab → Unlock) and still running its previous release; a config change may be set without the restart that applies it.";

/**
 * A change's own page while it runs: who started it and when, a Cancel button, and its output
 * from the first line the relay still keeps, then live (the stream opens on load). Without
 * JavaScript the page reloads itself every few seconds instead.
 */
export function RunningOpPage({ host, hosts, job }: { host: HostStatus; hosts: HostRef[]; job: JobInfo }) {
  const href = opUrl(host.host, job.opId);
  return (
    <Layout title={`${jobTitle(job)} (running)`} host={host} hosts={hosts} refreshSeconds={5}>
      <OpHeading host={host} title={jobTitle(job)} app={job.app} />
      <div id="op-running">
        <p>
          Started by {job.requestedBy} at <time datetime={new Date(job.startedAt).toISOString()}>{when(job.startedAt)}</time>. It runs to its end on the host
          whether or not anyone watches.
        </p>
        <form
          method="post"
          action={`${href}/cancel`}
          hx-post={`${href}/cancel`}
          hx-target="#op-cancel-result"
          hx-confirm={CANCEL_WARNING}
          hx-disable="find button"
          class="cancel-op"
        >
          <button type="submit" class="danger">
            Cancel
          </button>
        </form>
        {/* Inside #op-running: once the change ended, "Cancel sent" goes with the Cancel button (and a late answer finds no target). */}
        <div id="op-cancel-result"></div>
      </div>
      <div id="op-live" hx-get={`${href}/stream`} hx-trigger="load">
        <p class="muted">Loading its output…</p>
      </div>
    </Layout>
  );
}

/**
 * What replaces the running page's intro, Cancel and "Cancel sent" once its stream says the change
 * ended (htmx partials in the stream's last message): it ran, and its record, with each command's
 * exit code; and the host's "Running now" banner, read again at once, no longer lists it. So the
 * page says one thing: ended, and how (the outcome below).
 */
export function OpEnded({ host, opId }: { host: string; opId: string }) {
  return (
    <>
      <hx-partial hx-target="#op-running" hx-swap="innerHTML">
        <p class="op-ended">
          This change has ended. <a href={opUrl(host, opId)}>Its record</a> shows each command with its exit code and whole output.
        </p>
      </hx-partial>
      <hx-partial hx-target="#running-ops" hx-swap="outerHTML">
        <RunningOpsLoader host={host} />
      </hx-partial>
    </>
  );
}

/**
 * A change's own page once it ended: its outcome and the full (redacted) output of each command;
 * titled by the title history kept for it (rows from before it kept titles: from the op's declaration).
 */
export function EndedOpPage({ host, hosts, entries }: { host: HostStatus; hosts: HostRef[]; entries: HistoryRow[] }) {
  const first = entries[0]!;
  const title = first.title ?? changeTitle(first.op, first.app);
  return (
    <Layout title={title} host={host} hosts={hosts}>
      <OpHeading host={host} title={title} app={first.app} />
      {entries.map((e) => (
        <section class="op-command" aria-label={e.argv.join(" ")}>
          <p>
            <OutcomeBadge e={e} /> <code>{e.argv.join(" ")}</code> — started by {e.requestedBy} at{" "}
            <time datetime={new Date(e.startedAt).toISOString()}>{when(e.startedAt)}</time>, {Math.round(e.durationMs / 100) / 10} s
            {e.exitCode !== null ? `, exit ${e.exitCode}` : ""}
          </p>
          {e.stdout ? <pre class="output">{e.stdout}</pre> : null}
          {e.stderr ? <pre class="output err">{e.stderr}</pre> : null}
          {!e.stdout && !e.stderr ? <p class="muted">No output.</p> : null}
          {e.cut ? (
            <p>
              <a href={historyEntryUrl(host.host, e.id)}>The whole output of this command</a>
            </p>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}

function OpHeading({ host: { host, name }, title, app }: { host: HostStatus; title: string; app: string | null }) {
  return (
    <>
      <p class="crumbs">
        <a href={hostUrl(host)}>Apps on {name}</a> /{" "}
        {app ? (
          <>
            <a href={appUrl(host, app)}>{app}</a> /
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
    </>
  );
}

/**
 * The changes running on a host now, each a link to its page: shown on every page of the host
 * (reloaded every few seconds), and on an app's pages for that app.
 */
export function RunningOps({ host, jobs, app }: { host: string; jobs: JobInfo[]; app?: string }) {
  const shown = app === undefined ? jobs : jobs.filter((j) => j.app === app);
  const poll = { "hx-get": hostUrl(host, "/ops/running"), "hx-trigger": "every 5s", "hx-swap": "outerHTML" };
  if (shown.length === 0) return <div id="running-ops" class="running-ops empty" {...poll}></div>;
  return (
    <div id="running-ops" class="running-ops" role="status" {...poll}>
      <strong>Running now:</strong>
      <ul>
        {shown.map((j) => (
          <li>
            <a href={opUrl(host, j.opId)}>{jobTitle(j)}</a> by {j.requestedBy} since{" "}
            <time datetime={new Date(j.startedAt).toISOString()}>{when(j.startedAt)}</time>
          </li>
        ))}
      </ul>
    </div>
  );
}
