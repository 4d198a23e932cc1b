import type { HistoryRow } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { HistoryTable } from "../history.js";

/** This app's last commands, in the same table as the host's history (output expandable). */
export function AppHistoryBody({ host, app, entries, total }: { host: HostStatus; app: string; entries: HistoryRow[]; total: number }) {
  return (
    <>
      <h2>Commands for this app</h2>
      <p>
        The last {entries.length} of {total} commands the relay ran for {app}.{" "}
        <a href={`/hosts/${host.host}/history?app=${encodeURIComponent(app)}`}>Full history of {host.host}</a>
      </p>
      {entries.length === 0 ? (
        <p>Nothing has run for this app yet.</p>
      ) : (
        <div class="table-wrap">
          <HistoryTable host={host.host} entries={entries} />
        </div>
      )}
    </>
  );
}
