import type { HostRef } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { AppSummary, HealthSample, HistoryEntry } from "../../protocol/ops.js";
import type { HostStatus } from "../hub/outcome.js";
import { AppsTable, CreateAppForm } from "./apps.js";
import { HealthCards } from "./health.js";
import { RecentActivity } from "./history.js";
import { ago } from "./ago.js";
import { Layout } from "./layout.js";
import { nav } from "./nav.js";
import { hostUrl } from "../urls.js";
import { reloadsOn } from "./stale.js";
import type { May } from "./may.js";
import { Section } from "./section.js";

/** Each part is either its data or the message saying why it is missing. */
export type Part<T> = { ok: true; value: T } | { ok: false; message: Child };

export function LinkState({ host }: { host: HostStatus }) {
  return (
    <p class="link-state">
      <span class={`badge ${host.connected ? "up" : "down"}`}>{host.connected ? "connected" : "offline"}</span>{" "}
      {host.connected
        ? `relay ${host.relayVersion ?? "?"}, Dokku ${host.dokkuVersion ?? "?"}, last heartbeat ${ago(host.lastHeartbeat ?? host.connectedAt)}`
        : `last seen ${ago(host.lastSeen)}`}
      {host.readOnly ? (
        <>
          {" "}
          <span class="badge warn">read-only</span>
        </>
      ) : null}
      {nav().opens(host.host, "host") ? (
        <>
          {" "}
          <a href={hostUrl(host.host, "/host")}>Host details</a>
        </>
      ) : null}
    </p>
  );
}

/** The dashboard's frame: the host's name and link state; its sections follow as their reads end. */
export function DashboardPage({ host, hosts, children }: { host: HostStatus; hosts: HostRef[]; children?: Child }) {
  return (
    <Layout title={`Dashboard of ${host.name}`} host={host} hosts={hosts} current="dashboard" lean>
      <h1>{host.name}</h1>
      <LinkState host={host} />
      {children}
    </Layout>
  );
}

export function HealthSection({ host, health }: { host: string; health: Part<{ now: HealthSample; series: HealthSample[] }> }) {
  return (
    <Section name="health" title="Server health">
      {/* Reloaded every 30 s: the relay samples in the background, so this runs no command. */}
      <div id="health" hx-get={hostUrl(host, "/health")} hx-trigger="every 30s">
        {health.ok ? <HealthCards now={health.value.now} series={health.value.series} /> : health.message}
      </div>
    </Section>
  );
}

export function AppsSection({
  host,
  apps,
  domains,
  live,
  may,
}: {
  host: HostStatus;
  apps: Part<AppSummary[]>;
  /** Every app's domains, when they could be read. */
  domains?: Record<string, string[]>;
  /** Whether changes are offered (`offersChanges`): not on the host's last known state. */
  live: boolean;
  /** What the policy lets this user do (Create, each row's action). */
  may: May;
}) {
  const h = host.host;
  return (
    <Section name="apps" title="Apps">
      <AppsList host={h} apps={apps} domains={domains} live={live} may={may} />
      {host.readOnly || !live || !may("apps.create", {}) ? null : <CreateAppForm host={h} />}
    </Section>
  );
}

/**
 * The apps table, or why it could not be read: also the fragment it is read again from when a
 * change makes the list stale (see pages/stale.ts), so a created, destroyed or restarted app shows
 * as it now is.
 */
export function AppsList({
  host,
  apps,
  domains,
  live,
  may,
}: {
  host: string;
  apps: Part<AppSummary[]>;
  domains?: Record<string, string[]>;
  live: boolean;
  may: May;
}) {
  return (
    <div id="apps-list" {...reloadsOn(hostUrl(host, "/apps-list"), ["apps.list", "domains.all"])}>
      {apps.ok ? <AppsTable host={host} apps={apps.value} domains={domains} live={live} may={may} /> : apps.message}
    </div>
  );
}

export function ActivitySection({ host, activity }: { host: string; activity: Part<HistoryEntry[]> }) {
  return (
    <Section name="activity" title="Recent changes">
      <RecentChanges host={host} activity={activity} />
    </Section>
  );
}

/** The recent changes alone: read again after each change the host answered, which names history stale (eventsAfter, pages/stale.ts). */
export function RecentChanges({ host, activity }: { host: string; activity: Part<HistoryEntry[]> }) {
  return (
    <div id="recent-changes" {...reloadsOn(hostUrl(host, "/recent-changes"), ["history.list"])}>
      {activity.ok ? <RecentActivity host={host} entries={activity.value} /> : activity.message}
    </div>
  );
}
