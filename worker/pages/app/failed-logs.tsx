import type { CommandOutput } from "../../../protocol/ops.js";

/**
 * `dokku logs:failed APP` as text. Dokku prints its `=====> APP failed deploy logs` header on stdout
 * and its findings as warnings on stderr while exiting 0 ("No failed containers found", "App
 * container CID no longer running": GetFailedLogs in plugins/logs/logs.go and
 * scheduler-logs-failed in plugins/scheduler-docker-local of dokku/dokku): the warnings are shown
 * whatever the output, and a header alone is no log.
 */
export function FailedLogs({ result }: { result: CommandOutput }) {
  const body = result.output
    .split("\n")
    .filter((l) => !l.startsWith("=====> "))
    .join("\n");
  return (
    <div class="failed-logs">
      {result.warning ? (
        <div class="outcome outcome-warning" role="status">
          <pre class="message">{result.warning}</pre>
        </div>
      ) : null}
      {body.trim() === "" ? (
        result.warning ? null : (
          <p class="muted">Dokku printed no failed deploy logs.</p>
        )
      ) : (
        <pre class="logs failed" tabindex={0} aria-label="Failed deploy logs">
          {body}
        </pre>
      )}
    </div>
  );
}
