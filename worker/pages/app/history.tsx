import type { HistoryEntry } from "../../../protocol/ops.js";
import type { HostStatus } from "../../hub/outcome.js";
import { AppShell } from "./shell.js";

export function AppHistoryPage({ host, hosts, app, entries, total }: { host: HostStatus; hosts: string[]; app: string; entries: HistoryEntry[]; total: number }) {
  return (
    <AppShell host={host} hosts={hosts} app={app} tab="history">
      <h2>Commands for this app</h2>
      <p>
        The last {entries.length} of {total} commands the relay ran for {app}. <a href={`/hosts/${host.host}/history?app=${app}`}>Full history of {host.host}</a>
      </p>
      {entries.length === 0 ? (
        <p>Nothing has run for this app yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Command</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr class={e.outcome === "ok" ? "ok" : "failed"}>
                  <td>
                    <time datetime={new Date(e.startedAt).toISOString()}>{new Date(e.startedAt).toISOString().replace("T", " ").slice(0, 19)}</time>
                  </td>
                  <td>
                    <code>{e.argv.join(" ")}</code>
                  </td>
                  <td>{e.exitCode === null ? e.outcome : `${e.outcome} (exit ${e.exitCode})`}</td>
                  <td>{e.durationMs} ms</td>
                  <td>{e.requestedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AppShell>
  );
}
