import { escapeToBuffer } from "hono/utils/html";
import type { TailRenderer } from "../../streams/tail.js";
import type { HostStatus } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { appUrl, assetUrl } from "../../urls.js";
import { Section } from "../section.js";

export { FailedLogs } from "./failed-logs.js";

export interface LogChoice {
  lines: number;
  process: string;
}

/**
 * Where the live tail lives. While following, this element holds the stream open (htmx's SSE
 * extension connects on load, appends to #log-lines, and renews each short segment at once,
 * naming the tail; the `done` event ends it); replacing it (Pause, or Start with other choices)
 * ends that request, and the relay stops `dokku logs -t`.
 */
export function LogTail({ host, app, choice, paused }: { host: string; app: string; choice: LogChoice; paused: boolean }) {
  const q = new URLSearchParams({ lines: String(choice.lines), process: choice.process });
  if (paused) {
    return (
      <div id="log-tail" class="log-state paused" role="status">
        Paused. Press Start to follow again.
      </div>
    );
  }
  return (
    <div
      id="log-tail"
      class="log-state live"
      role="status"
      hx-sse:connect={`${appUrl(host, app)}/logs/stream?${q}`}
      hx-sse:close="done"
      hx-trigger="load"
      hx-target="#log-lines"
      hx-swap="beforeend"
    >
      Following the last {choice.lines} lines{choice.process ? ` of ${choice.process}` : ""}…
    </div>
  );
}

const mark = (text: string) => (<span class="mark">{`${text}\n`}</span>).toString();

/** A line from the host as HTML text (hono's escaping; a burst renders thousands at once, so no element per line). */
function escaped(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

/**
 * Log lines for the SSE stream: one <span> per line (the page keeps at most 2,000; the edge sends
 * no more than that at once and says how many it skipped), always text.
 */
export function logRenderer(opts: { choice: LogChoice; historyHref: string }): TailRenderer {
  const what = `${opts.choice.lines} lines${opts.choice.process ? ` of ${opts.choice.process}` : ""}`;
  return {
    start: () => mark(`— last ${what}, then live —`),
    resumed: () => mark(`— the tail had stopped while this page was away; started again: last ${what}, then live —`),
    skipped: (n) => mark(`[${n.toLocaleString("en")} lines skipped: more came at once than this page keeps]`),
    lines: (lines) => lines.map((l) => `${l.stream === "stderr" ? '<span class="err">' : "<span>"}${escaped(l.text)}</span>`).join(""),
    outcome: (outcome) =>
      (
        <hx-partial hx-target="#log-tail" hx-swap="innerHTML">
          {outcome.kind === "ok" ? <span>The log stream ended.</span> : <OutcomeMessage outcome={outcome} historyHref={opts.historyHref} />}
        </hx-partial>
      ).toString(),
  };
}

/** The Logs tab of an app that was never deployed: it has no container, so there is nothing to tail. */
export function NotDeployed({ app }: { app: string }) {
  return (
    <Section name="logs" title="Logs">
      <p class="not-deployed" role="status">
        {app} has not been deployed yet: nothing to show.
      </p>
    </Section>
  );
}

/** The Logs tab's content (inside the app's shell). */
export function LogsBody({ host, app, processes, choice }: { host: HostStatus; app: string; processes: string[]; choice: LogChoice }) {
  const base = appUrl(host.host, app);
  return (
    <>
      <Section name="logs" title="Live logs">
        <form id="log-form" class="inline" hx-get={`${base}/logs/tail`} hx-target="#log-tail" hx-swap="outerHTML">
          <label for="log-count">Lines</label>
          <select id="log-count" name="lines">
            {[100, 500, 1000].map((n) => (
              <option value={String(n)} selected={n === choice.lines}>
                {n}
              </option>
            ))}
          </select>
          <label for="log-process">Process</label>
          <select id="log-process" name="process">
            <option value="" selected={choice.process === ""}>
              all
            </option>
            {processes.map((p) => (
              <option value={p} selected={p === choice.process}>
                {p}
              </option>
            ))}
          </select>
          <button type="submit">Start</button>
          <button type="button" hx-get={`${base}/logs/tail?state=paused`} hx-target="#log-tail" hx-swap="outerHTML">
            Pause
          </button>
          <button type="button" id="log-clear">
            Clear
          </button>
        </form>
        <p class="option">
          <input type="checkbox" id="log-follow" checked />
          <label for="log-follow">Scroll to new lines</label>
        </p>
        <p class="option log-filter">
          <label for="log-filter">Show only lines containing</label>
          <input type="search" id="log-filter" autocomplete="off" spellcheck={false} />
          <span id="log-filter-count" role="status"></span>
        </p>
        <LogTail host={host.host} app={app} choice={choice} paused={false} />
        <pre id="log-lines" class="logs" tabindex={0} aria-label="Log lines" aria-live="off"></pre>
      </Section>

      <Section name="failed" title="Failed deploys">
        <p>The output of the containers of the last deploy that failed its checks.</p>
        <button type="button" hx-get={`${base}/logs/failed`} hx-target="#failed-logs" hx-disable="this">
          Show failed deploy logs
        </button>
        <div id="failed-logs" aria-live="polite"></div>
      </Section>
      <script src={assetUrl("/logs.js")} defer></script>
    </>
  );
}
