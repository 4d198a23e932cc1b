import type { HistoryRow, HistoryShow } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { ShowChoice } from "../history-filters.js";
import { HistoryTable } from "../history.js";
import { appUrl, historyUrl } from "../../urls.js";

/**
 * This app's last changes (or, with `show` "all", every command, reads too), in the same table as
 * the host's history (output expandable), with the choice as a GET form.
 */
export function AppHistoryBody({
  host,
  app,
  show,
  entries,
  total,
}: {
  host: HostStatus;
  app: string;
  show: HistoryShow;
  entries: HistoryRow[];
  total: number;
}) {
  const noun = show === "all" ? "commands" : "changes";
  const full = historyUrl(host.host, { app, show: show === "all" ? show : undefined });
  return (
    <>
      <h2>{show === "all" ? "Commands for this app" : "Changes to this app"}</h2>
      <form method="get" action={appUrl(host.host, app, "/history")} class="app-history-show" aria-label="What to show">
        <ShowChoice show={show} />
        <button type="submit">Show</button>
      </form>
      <p>
        The last {entries.length} of {total} {noun} the relay ran for {app}. <a href={full}>Full history of {host.name}</a>
      </p>
      {entries.length === 0 ? (
        <p>{show === "all" ? "Nothing has run for this app yet." : "Nothing has been changed on this app through Docklight yet."}</p>
      ) : (
        <div class="table-wrap">
          <HistoryTable host={host.host} entries={entries} />
        </div>
      )}
    </>
  );
}
