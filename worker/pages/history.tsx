import type { HistoryEntry } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";

export function HistoryPage({ host, hosts, entries, total }: { host: HostStatus; hosts: string[]; entries: HistoryEntry[]; total: number }) {
  return (
    <Layout title={`History of ${host.host}`} host={host} hosts={hosts}>
      <h1>Command history on {host.host}</h1>
      <p>
        The last {entries.length} of {total} commands the relay ran.
      </p>
      <table class="history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Command</th>
            <th scope="col">Exit</th>
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
              <td>{e.exitCode ?? e.outcome}</td>
              <td>{e.durationMs} ms</td>
              <td>{e.requestedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
