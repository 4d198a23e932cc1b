import type { CommandOutput } from "../../../protocol/ops.js";
import type { StreamRenderer } from "../../hub/stream.js";
import type { HostStatus } from "../../hub/outcome.js";
import { OutcomeMessage } from "../outcome.js";
import { appBase } from "./shell.js";

export interface LogChoice {
  lines: number;
  process: string;
}

/**
 * Where the live tail lives. While following, this element holds the stream request open (it
 * GETs the SSE endpoint on load and appends to #log-lines); replacing it (Pause, or Start with
 * other choices) ends that request, and the relay stops `dokku logs -t`.
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
    <div id="log-tail" class="log-state live" role="status" hx-get={`${appBase(host, app)}/logs/stream?${q}`} hx-trigger="load" hx-target="#log-lines" hx-swap="beforeend">
      Following the last {choice.lines} lines{choice.process ? ` of ${choice.process}` : ""}…
    </div>
  );
}

/** Log lines for the SSE stream: one <span> per line (the page keeps at most 2,000), always text. */
export function logRenderer(opts: { choice: LogChoice; historyHref: string }): () => StreamRenderer<"logs.tail"> {
  return () => ({
    start: () => (<span class="mark">{`— last ${opts.choice.lines} lines${opts.choice.process ? ` of ${opts.choice.process}` : ""}, then live —\n`}</span>).toString(),
    chunk: (stream, text) => {
      const lines = text.split("\n");
      if (lines.at(-1) === "") lines.pop();
      const last = text.endsWith("\n");
      return lines
        .map((l, i) => (<span class={stream === "stderr" ? "err" : undefined}>{i < lines.length - 1 || last ? `${l}\n` : l}</span>).toString())
        .join("");
    },
    outcome: (outcome) =>
      (
        <hx-partial hx-target="#log-tail" hx-swap="innerHTML">
          {outcome.kind === "ok" ? <span>The log stream ended.</span> : <OutcomeMessage outcome={outcome} historyHref={opts.historyHref} />}
        </hx-partial>
      ).toString(),
  });
}

/** `dokku logs:failed APP` as text; Dokku's "No failed containers found" is said plainly. */
export function FailedLogs({ result }: { result: CommandOutput }) {
  if (result.output.trim() === "") return <p class="muted">{result.warning ?? "No failed containers found."}</p>;
  return (
    <pre class="logs failed" tabindex={0} aria-label="Failed deploy logs">
      {result.output}
    </pre>
  );
}

/** The Logs tab's content (inside the app's shell). */
export function LogsBody({ host, app, processes, choice }: { host: HostStatus; app: string; processes: string[]; choice: LogChoice }) {
  const base = appBase(host.host, app);
  return (
    <>
      <section aria-labelledby="logs-h">
        <h2 id="logs-h">Live logs</h2>
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
      </section>

      <section aria-labelledby="failed-h">
        <h2 id="failed-h">Failed deploys</h2>
        <p>The output of the containers of the last deploy that failed its checks.</p>
        <button type="button" hx-get={`${base}/logs/failed`} hx-target="#failed-logs" hx-disable="this">
          Show failed deploy logs
        </button>
        <div id="failed-logs" aria-live="polite"></div>
      </section>
      <script src="/logs.js" defer></script>
    </>
  );
}
