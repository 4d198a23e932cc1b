import type { HostRef } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { HostStatus } from "../hub/outcome.js";
import type { Enrollment, HostRecord } from "../registry/host-registry.js";
import { Layout } from "./layout.js";
import { utcTime } from "./time.js";
import { hostUrl, query } from "../urls.js";

/**
 * The one command that joins a Dokku host: run as root, it installs the relay, starts it as a
 * service and connects it (deploy/install.sh). It carries a one-time enrollment code, never the
 * relay token (which the installer gets for the code and keeps only in the host's 0600 relay.env),
 * and pins the relay tarball's sha256 when the edge serves one. Every value is base64url, hex, an
 * id or the edge's origin, so nothing in it needs quoting.
 */
export function installCommand(origin: string, e: Enrollment, sha256: string | null): string {
  const pin = sha256 ? ` --sha256 ${sha256}` : "";
  return `curl -fsSL ${origin}/install.sh | sh -s -- --url ${origin} --host ${e.host.id} --code ${e.code} --key ${e.publicKey}${pin}`;
}

const utc = utcTime;

/** "a relay for this host was refused at T: bad token", while no relay has connected since. */
export function Refusal({ record, status }: { record: HostRecord; status: HostStatus }) {
  const at = record.lastRefusedAt;
  if (at === null || (status.connected && (status.connectedAt ?? 0) > at)) return null;
  return (
    <p class="refused">
      a relay for this host was refused at <time datetime={new Date(at).toISOString()}>{utc(at)}</time>: {record.lastRefusedReason ?? "refused"}
    </p>
  );
}

/**
 * The host's link while the Hosts page waits for a relay that joined at or after `since`: it asks
 * again every 2 s (htmx) until one is connected, then says so and stops asking.
 */
export function LinkWait({ record, status, since }: { record: HostRecord; status: HostStatus; since: number }) {
  if (status.connected && (status.connectedAt ?? 0) >= since) {
    return (
      <p class="link-wait" id="link-wait" role="status">
        <span class="badge up">connected</span> {record.name}'s relay {status.relayVersion ?? ""} is connected
        {status.dokkuVersion ? ` (Dokku ${status.dokkuVersion})` : ""}. <a href={hostUrl(record.id)}>Open its dashboard</a>
      </p>
    );
  }
  return (
    <div class="link-wait" id="link-wait" role="status" hx-get={hostUrl(record.id, `/link${query({ since })}`)} hx-trigger="every 2s" hx-swap="outerHTML">
      <p>
        <span class="badge idle">waiting</span> Waiting for {record.name}'s relay to connect… (this page updates by itself)
      </p>
      <Refusal record={record} status={{ ...status, connected: false }} />
    </div>
  );
}

/** Why the enrollment page is shown: a host added, its token rotated, or a new command for it. */
export type EnrollReason = "added" | "rotated" | "new-code";

const enrollTitle = (reason: EnrollReason, name: string) =>
  reason === "added" ? `Host ${name} added` : reason === "rotated" ? `New token for ${name}` : `New install command for ${name}`;

/** After adding a host, rotating its token or asking for a new command: the command, shown once, and the wait for its relay. */
export function EnrollPage(props: {
  origin: string;
  enrollment: Enrollment;
  sha256: string | null;
  reason: EnrollReason;
  status: HostStatus;
  since: number;
  hosts: HostRef[];
}) {
  const { origin, enrollment, sha256, reason, status, since, hosts } = props;
  const { host } = enrollment;
  return (
    <Layout title={enrollTitle(reason, host.name)} hosts={hosts} host={null}>
      <h1>{enrollTitle(reason, host.name)}</h1>
      {reason === "rotated" ? <p>The old token no longer works: the relay that used it was disconnected and told why.</p> : null}
      {reason === "new-code" ? (
        <p>Any earlier command for this host no longer works. The running relay, if any, keeps working until this command is run.</p>
      ) : null}
      <p>
        Run this as root on the Dokku host <strong>{host.name}</strong> (host id <code>{host.id}</code>). It installs the relay, starts it as a service and
        connects it. Running it trusts this edge with root on that host, this once: the script runs as root.
      </p>
      <pre class="copy install-command">
        <code>{installCommand(origin, enrollment, sha256)}</code>
      </pre>
      <p>
        <strong>
          This command works once, until <time datetime={new Date(enrollment.expiresAt).toISOString()}>{utc(enrollment.expiresAt)}</time>
        </strong>{" "}
        (1 hour). It carries a one-time enrollment code, not the relay token: the installer trades the code for the token, which is written only to{" "}
        <code>/etc/docklight/relay.env</code> (root, 0600), so it never lands in shell history.{" "}
        {sha256 ? "It installs only the relay release whose sha256 it names. " : null}
        If it expired or was used, make a new one:
      </p>
      <form method="post" action={hostUrl(host.id, "/code")}>
        <button type="submit">New install command</button>
      </form>
      <LinkWait record={host} status={status} since={since} />
      <p>
        <a href="/hosts">All hosts</a>
      </p>
    </Layout>
  );
}

/** "Are you sure?" before a change that disconnects relays: a page with the one button that does it. */
export function ConfirmPage({ title, action, button, hosts, children }: { title: string; action: string; button: string; hosts: HostRef[]; children: Child }) {
  return (
    <Layout title={title} hosts={hosts} host={null}>
      <h1>{title}</h1>
      {children}
      <form method="post" action={action}>
        <button type="submit">{button}</button> <a href="/hosts">Cancel</a>
      </form>
    </Layout>
  );
}

/** After the op-signing key was rotated: who got the new key and what the others need. */
export function KeyRotatedPage({ publicKey, told, hosts }: { publicKey: string; told: number; hosts: HostRef[] }) {
  return (
    <Layout title="Op-signing key rotated" hosts={hosts} host={null}>
      <h1>Op-signing key rotated</h1>
      <p>
        The new public key is <code class="op-key">{publicKey}</code>. {told} connected relay{told === 1 ? " was" : "s were"} sent it, signed by the old key,
        and now trust{told === 1 ? "s" : ""} it.
      </p>
      <p>A relay that was offline still trusts the old key and will refuse every operation: rotate its host's token and run the new command there.</p>
      <p>
        <a href="/hosts">All hosts</a>
      </p>
    </Layout>
  );
}
