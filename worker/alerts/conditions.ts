import type { AppSummary } from "../../protocol/ops/apps.js";
import type { HealthSample } from "../../protocol/ops/health.js";
import type { LetsencryptRow } from "../../protocol/ops/tls.js";

/**
 * What an alert is about, decided from what the host's relay already reported: pure, so a check
 * with a controlled clock is a function call. Each condition has a stable key (one alert per key
 * until it resolves).
 */

export const ALERT_KINDS = ["relay-offline", "app-down", "cert", "disk", "memory", "deploy-failed"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The limits a check applies (defaults: ALERT_LIMITS). */
export interface AlertLimits {
  /** The relay has been disconnected this long (minutes). */
  offlineMinutes: number;
  /** A certificate expires within this many days. */
  certDays: number;
  /** Disk or memory use at or above this percent… */
  diskPercent: number;
  memoryPercent: number;
  /** …for this long (minutes), every health sample in that time. */
  sustainMinutes: number;
}

export const ALERT_LIMITS: AlertLimits = { offlineMinutes: 5, certDays: 14, diskPercent: 90, memoryPercent: 90, sustainMinutes: 10 };

/** A deploy this edge saw end (from the HostHub's record of the changes it started). */
export interface DeployEnd {
  app: string;
  opId: string;
  ok: boolean;
  at: number;
  message: string;
}

/**
 * What one check knows of a host. `null` parts were not read this time (the host offline, a read
 * that failed): conditions of their kinds keep the state they had.
 */
export interface Observation {
  now: number;
  online: boolean;
  /** When the relay was last seen (ms since epoch), null when never. */
  lastSeen: number | null;
  apps: AppSummary[] | null;
  certs: LetsencryptRow[] | null;
  health: { now: HealthSample; series: HealthSample[] } | null;
  deploys: DeployEnd[];
}

/** One condition that holds now. */
export interface Condition {
  key: string;
  kind: AlertKind;
  /** What it is about: an app, a disk's path, "memory", the host. */
  subject: string;
  message: string;
}

/** A check's answer: the conditions that hold, the kinds it could judge, and the apps known to have been running. */
export interface Verdict {
  conditions: Condition[];
  judged: AlertKind[];
  wasRunning: string[];
}

const MIN = 60_000;
const DAY = 86_400_000;
const minutes = (ms: number) => Math.round(ms / MIN);
const days = (s: number) => Math.round(Math.abs(s * 1000) / DAY);

/**
 * Since when every sample up to the newest had `value` at or above `limit`, or null (the newest is
 * below, or there is no sample). Samples older than the newest by a gap of more than `gapMs` break the run.
 */
export function overSince(samples: readonly HealthSample[], value: (s: HealthSample) => number | null, limit: number): number | null {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  let since: number | null = null;
  for (const s of sorted) {
    const v = value(s);
    since = v !== null && v >= limit ? (since ?? s.at) : null;
  }
  return since;
}

/**
 * The conditions that hold for one host, from `o` and what earlier checks knew (`wasRunning`: apps
 * seen running; `open`: keys of alerts open now, kept while their kind cannot be judged).
 * - relay-offline: disconnected for `offlineMinutes` since it was last seen;
 * - app-down: an app seen running is now stopped, scaled to 0, mixed or not deployed (an app gone
 *   from the list was destroyed: forgotten; one whose state is unknown keeps its alert as it was);
 * - cert: a Let's Encrypt certificate expiring within `certDays`, expired, or past its renewal time;
 * - disk / memory: at or above the limit in every sample for `sustainMinutes`;
 * - deploy-failed: the newest deploy of an app this edge saw end failed (a later good one clears it).
 */
export function evaluate(o: Observation, wasRunning: readonly string[], open: ReadonlySet<string>, limits: AlertLimits = ALERT_LIMITS): Verdict {
  const conditions: Condition[] = [];
  const judged: AlertKind[] = ["relay-offline", "deploy-failed"];
  let running = [...wasRunning];

  if (!o.online && o.lastSeen !== null && o.now - o.lastSeen >= limits.offlineMinutes * MIN) {
    conditions.push({
      key: "relay-offline",
      kind: "relay-offline",
      subject: "host",
      message: `The host's relay has not been connected for ${minutes(o.now - o.lastSeen)} min (last seen ${new Date(o.lastSeen).toISOString()}).`,
    });
  }

  if (o.apps) {
    judged.push("app-down");
    const listed = new Map(o.apps.map((a) => [a.name, a]));
    running = running.filter((name) => listed.has(name));
    for (const app of o.apps) {
      const key = `app-down:${app.name}`;
      if (app.state === "running") {
        if (!running.includes(app.name)) running.push(app.name);
      } else if (running.includes(app.name)) {
        if (app.state === "unknown") {
          if (open.has(key)) conditions.push({ key, kind: "app-down", subject: app.name, message: `${app.name} was running; its state cannot be read now.` });
        } else conditions.push({ key, kind: "app-down", subject: app.name, message: `${app.name} was running and is now ${app.state}.` });
      }
    }
  }

  if (o.certs) {
    judged.push("cert");
    for (const row of o.certs) {
      const exp = row.secondsToExpiry;
      const renew = row.secondsToRenewal;
      const key = `cert:${row.app}`;
      if (exp !== null && exp < 0)
        conditions.push({ key, kind: "cert", subject: row.app, message: `The certificate of ${row.app} expired ${days(exp)} d ago (${row.expiry}).` });
      else if (exp !== null && exp < limits.certDays * 86_400)
        conditions.push({ key, kind: "cert", subject: row.app, message: `The certificate of ${row.app} expires in ${days(exp)} d (${row.expiry}).` });
      else if (renew !== null && renew < 0)
        conditions.push({ key, kind: "cert", subject: row.app, message: `The certificate renewal of ${row.app} is overdue by ${days(renew)} d.` });
    }
  }

  if (o.health) {
    judged.push("disk", "memory");
    const samples = [...o.health.series, o.health.now];
    // A run lasts until the newest sample, which the relay took as this check read it (after `now`).
    const end = Math.max(o.now, o.health.now.at);
    const sustained = (since: number | null) => since !== null && end - since >= limits.sustainMinutes * MIN;
    const mem = overSince(samples, (s) => s.memory.usedPercent, limits.memoryPercent);
    if (sustained(mem))
      conditions.push({
        key: "memory",
        kind: "memory",
        subject: "memory",
        message: `Memory is ${Math.round(o.health.now.memory.usedPercent)}% used (at least ${limits.memoryPercent}% for ${minutes(end - mem!)} min).`,
      });
    for (const disk of o.health.now.disks) {
      const since = overSince(samples, (s) => s.disks.find((d) => d.path === disk.path)?.usedPercent ?? null, limits.diskPercent);
      if (sustained(since))
        conditions.push({
          key: `disk:${disk.path}`,
          kind: "disk",
          subject: disk.path,
          message: `Disk ${disk.path} is ${Math.round(disk.usedPercent)}% full (at least ${limits.diskPercent}% for ${minutes(end - since!)} min).`,
        });
    }
  }

  const newest = new Map<string, DeployEnd>();
  for (const d of o.deploys) if ((newest.get(d.app)?.at ?? -1) < d.at) newest.set(d.app, d);
  for (const d of newest.values())
    if (!d.ok)
      conditions.push({
        key: `deploy-failed:${d.app}`,
        kind: "deploy-failed",
        subject: d.app,
        message: `The last deploy of ${d.app} failed: ${d.message.slice(0, 300)}`,
      });

  return { conditions, judged, wasRunning: running.sort() };
}
