import type { Child } from "hono/jsx";
import type { HostRef } from "../hub/outcome.js";
import { dokkuSilent } from "../hub/outcome.js";
import { AddHostHowto, DokkuSilentNote, ago, type HostRow } from "./hosts.js";
import { Layout } from "./layout.js";
import { utcTime } from "./time.js";

const at = (ms: number | null) => (ms === null ? "—" : `${ago(ms)} (${utcTime(ms)})`);

/** One host: its link, the versions its relay reported, the measured latency, its host-wide settings (`children`), how to add another. */
export function HostPage({ row, hosts, children }: { row: HostRow; hosts: HostRef[]; children?: Child }) {
  const s = row.status;
  return (
    <Layout title={`Host ${s.name}`} host={s} hosts={hosts} current="host">
      <h1>Host {s.name}</h1>
      <dl class="facts">
        <dt>Link</dt>
        <dd>
          {dokkuSilent(s) ? <DokkuSilentNote /> : <span class={`badge ${s.connected ? "up" : "down"}`}>{s.connected ? "connected" : "offline"}</span>}
          {s.simulated ? <span class="badge idle">simulated</span> : null}
          {s.readOnly ? <span class="badge warn">read-only</span> : null}
        </dd>
        <dt>Connected since</dt>
        <dd>{s.connected ? at(s.connectedAt) : "—"}</dd>
        <dt>Last heartbeat</dt>
        <dd>{s.connected ? at(s.lastHeartbeat ?? s.connectedAt) : "—"}</dd>
        <dt>Last seen</dt>
        <dd>{s.connected ? "now" : at(s.lastSeen)}</dd>
        <dt>Latency (edge → relay → edge)</dt>
        <dd class="latency">{row.latencyMs === null ? "—" : `${row.latencyMs} ms`}</dd>
        <dt>Relay version</dt>
        <dd>{s.relayVersion ?? "—"}</dd>
        <dt>Dokku version</dt>
        <dd>{s.dokkuVersion ?? (dokkuSilent(s) ? "no answer" : "—")}</dd>
      </dl>
      {children}
      <p>
        <a href="/hosts">All hosts</a>
      </p>
      <AddHostHowto />
    </Layout>
  );
}
