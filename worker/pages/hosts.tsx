import type { HostStatus } from "../hub/outcome.js";
import { Layout } from "./layout.js";

export interface HostRow {
  status: HostStatus;
  /** Measured round trip edge → relay → edge, when connected. */
  latencyMs: number | null;
}

export function ago(ms: number | null): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function HostsPage({ rows }: { rows: HostRow[] }) {
  return (
    <Layout title="Hosts" hosts={rows.map((r) => r.status.host)} host={null}>
      <h1>Hosts</h1>
      <table class="hosts">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Link</th>
            <th scope="col">Connected since</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Latency</th>
            <th scope="col">Relay</th>
            <th scope="col">Dokku</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ status: s, latencyMs }) => (
            <tr data-host={s.host}>
              <th scope="row">
                <a href={`/hosts/${s.host}`}>{s.host}</a>
                {s.simulated ? <span class="badge idle">simulated</span> : null}
                {s.readOnly ? <span class="badge warn">read-only</span> : null}
              </th>
              <td>
                {!s.connected && s.lastSeen === null ? (
                  <span class="badge idle">waiting for its relay</span>
                ) : (
                  <span class={`badge ${s.connected ? "up" : "down"}`}>{s.connected ? "connected" : "offline"}</span>
                )}
              </td>
              <td>
                {s.connected && s.connectedAt ? (
                  <time datetime={new Date(s.connectedAt).toISOString()}>{ago(s.connectedAt)}</time>
                ) : s.lastSeen === null ? (
                  "never connected yet"
                ) : (
                  `last seen ${ago(s.lastSeen)}`
                )}
              </td>
              <td>{s.connected ? ago(s.lastHeartbeat ?? s.connectedAt) : "—"}</td>
              <td class="latency">{latencyMs === null ? "—" : `${latencyMs} ms`}</td>
              <td>{s.relayVersion ?? "—"}</td>
              <td>{s.dokkuVersion ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddHostHowto />
    </Layout>
  );
}

/** How to add a host: the CLI prints the secrets, the relay dials out. */
export function AddHostHowto() {
  return (
    <section class="howto">
      <h2>Add a host</h2>
      <ol>
        <li>
          On your machine: <code>npm run host:add -- NAME --url {"<this dashboard's URL>"}</code>. It prints the secrets for the edge and
          the relay's settings.
        </li>
        <li>Install the printed RELAY_TOKEN_HASHES secret on the edge, then install the relay on the Dokku host (README: "Install the relay").</li>
        <li>The host appears here as soon as its relay connects. The relay only dials out: no port opens on the host.</li>
      </ol>
    </section>
  );
}
