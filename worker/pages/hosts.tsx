import { dokkuSilent, type HostStatus } from "../hub/outcome.js";
import type { HostRecord, LegacySecrets } from "../registry/host-registry.js";
import { Refusal } from "./enroll.js";
import { ago } from "./ago.js";
import { Layout } from "./layout.js";
import { hostUrl } from "../urls.js";
import { Table } from "./table.js";

export { ago };

export interface HostRow {
  status: HostStatus;
  /** Measured round trip edge → relay → edge, when connected. */
  latencyMs: number | null;
}

/** `/hosts`: every host with its link state and what can be done to it, adding one, and the op-signing key. */
export function HostsPage({ hosts, legacy }: { hosts: Array<{ record: HostRecord; row: HostRow }>; legacy: LegacySecrets }) {
  return (
    <Layout title="Hosts" hosts={hosts.map((h) => ({ id: h.record.id, name: h.record.name }))} host={null}>
      <h1>Hosts</h1>
      <LegacyNotice legacy={legacy} />
      {hosts.length === 0 ? (
        <p>No host yet: add one below.</p>
      ) : (
        <Table class="hosts" columns={["Host", "Link", "Connected since", "Last heartbeat", "Latency", "Relay", "Dokku", "Manage"]}>
          {hosts.map(({ record, row: { status: s, latencyMs } }) => (
            <tr data-host={record.id}>
              <th scope="row">
                <a href={hostUrl(record.id)}>{record.name}</a>
                {record.name !== record.id ? <code class="host-id">{record.id}</code> : null}
                {s.simulated ? <span class="badge idle">simulated</span> : null}
                {s.readOnly ? <span class="badge warn">read-only</span> : null}
                <Refusal record={record} status={s} />
              </th>
              <td data-label="Link">
                {!s.connected && s.lastSeen === null ? (
                  <span class="badge idle">waiting for its relay</span>
                ) : dokkuSilent(s) ? (
                  <DokkuSilentNote />
                ) : (
                  <span class={`badge ${s.connected ? "up" : "down"}`}>{s.connected ? "connected" : "offline"}</span>
                )}
              </td>
              <td data-label="Connected since">
                {s.connected && s.connectedAt ? (
                  <time datetime={new Date(s.connectedAt).toISOString()}>{ago(s.connectedAt)}</time>
                ) : s.lastSeen === null ? (
                  "never connected yet"
                ) : (
                  `last seen ${ago(s.lastSeen)}`
                )}
              </td>
              <td data-label="Last heartbeat">{s.connected ? ago(s.lastHeartbeat ?? s.connectedAt) : "—"}</td>
              <td data-label="Latency" class="latency">
                {latencyMs === null ? "—" : `${latencyMs} ms`}
              </td>
              <td data-label="Relay">{s.relayVersion ?? "—"}</td>
              <td data-label="Dokku">{s.dokkuVersion ?? (dokkuSilent(s) ? "no answer" : "—")}</td>
              <td class="manage" data-label="">
                <form method="post" action={hostUrl(record.id, "/name")} class="rename">
                  <input name="name" value={record.name} aria-label={`New name for ${record.id}`} maxlength={64} required />
                  <button type="submit">Rename</button>
                </form>
                <form method="post" action={hostUrl(record.id, "/code")} class="new-code">
                  <button type="submit">New install command</button>
                </form>
                <a href={hostUrl(record.id, "/token")}>Rotate token</a> <a href={hostUrl(record.id, "/remove")}>Remove</a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <AddHostForm />
      <section class="howto">
        <h2>Op-signing key</h2>
        <p>
          The edge signs every operation with its own Ed25519 key; each relay pinned the public key when it joined.{" "}
          <a href="/signing-key">Rotate the op-signing key</a>
        </p>
      </section>
    </Layout>
  );
}

/** A connected relay whose `dokku` does not answer (see `dokkuSilent`), said plainly with what to do. */
export function DokkuSilentNote() {
  return (
    <span class="dokku-silent" role="status">
      <span class="badge warn">connected, but dokku does not answer</span> on this host: run <code>docklight-relay doctor</code> there
    </span>
  );
}

/** "Add a host": a name; the answer is the one command to run on the Dokku host. */
export function AddHostForm({ error }: { error?: string }) {
  return (
    <section class="howto" id="add-host">
      <h2>Add a host</h2>
      <form method="post" action="/hosts">
        <label for="host-name">Name</label> <input id="host-name" name="name" maxlength={64} required placeholder="e.g. prod" />{" "}
        <button type="submit">Add host</button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      <p>
        The next page shows one command to run as root on the Dokku host: it installs the relay, starts it as a service and connects it. The relay only dials
        out: no port opens on the host.
      </p>
    </section>
  );
}

/** Where hosts are added (for a host's own page). */
export function AddHostHowto() {
  return (
    <p>
      <a href="/hosts#add-host">Add a host</a>, rename one, rotate its token or remove it on the Hosts page.
    </p>
  );
}

/** The secrets of deployments from before the host registry, still set: imported, and now safe to delete. */
function LegacyNotice({ legacy }: { legacy: LegacySecrets }) {
  const names = [legacy.opSigningKey ? "OP_SIGNING_KEY" : null, legacy.relayTokenHashes ? "RELAY_TOKEN_HASHES" : null].filter((n) => n !== null);
  if (names.length === 0) return null;
  return (
    <p class="banner" role="status">
      {names.join(" and ")} {names.length === 1 ? "is" : "are"} still set on the edge. The hosts and the key now live in the edge's host registry, which
      imported them; delete them with <code>{names.map((n) => `npx wrangler secret delete ${n}`).join(" && ")}</code>.
    </p>
  );
}
