import { Cron } from "croner";
import { until } from "./ago.js";
import { zonedTime } from "./time.js";

/**
 * When a cron task runs next. Dokku gives the schedule only (cron:list); the host's cron daemon
 * reads it in the host's zone (Dokku's crontab sets no CRON_TZ: plugins/cron/templates/cron.tmpl).
 * It is computed here, when the page is drawn, so a list served from the read cache never shows a
 * next run that has already passed.
 */
export type NextRun =
  | { kind: "at"; ms: number }
  /** A valid schedule no date matches (`0 0 30 2 *`). */
  | { kind: "never" }
  /** croner does not read it (e.g. robfig/cron's `@every 5m`, which Dokku's check accepts): why. */
  | { kind: "unread"; reason: string };

/**
 * The first run after `now` (ms since epoch) of a five-field schedule or @ descriptor, read in
 * `zone` as Vixie cron reads it (day of month OR day of week when both are set; a fixed-time run in
 * a DST gap runs just after it). Never throws: an expression or zone croner refuses is `unread`.
 */
export function nextRun(schedule: string, zone: string, now: number): NextRun {
  try {
    const next = new Cron(schedule.trim(), { mode: "5-part", timezone: zone, domAndDow: false }).nextRun(new Date(now));
    return next ? { kind: "at", ms: next.getTime() } : { kind: "never" };
  } catch (e) {
    return { kind: "unread", reason: String((e as Error).message ?? e).replace(/^CronPattern: /, "") };
  }
}

/**
 * A task's next run as the Cron pages show it: the time in the host's zone, and how far ahead.
 * `zone` undefined: a relay too old to report it; UTC (Dokku's default) is assumed, and said.
 */
export function NextRunText({ schedule, zone, now, suspended }: { schedule: string; zone: string | undefined; now: number; suspended?: boolean }) {
  if (suspended) return <span class="next-run muted">next run: none while suspended</span>;
  const next = nextRun(schedule, zone ?? "UTC", now);
  if (next.kind === "never") return <span class="next-run muted">next run: never (no date matches this schedule)</span>;
  if (next.kind === "unread") return <span class="next-run muted">next run not computed: croner cannot read this schedule ({next.reason})</span>;
  return (
    <span class="next-run">
      next run <time datetime={new Date(next.ms).toISOString()}>{zonedTime(next.ms, zone ?? "UTC")}</time> ({until(next.ms, now)})
      {zone ? null : <span class="muted"> (this relay does not report the host's zone: UTC assumed, Dokku's default)</span>}
    </span>
  );
}
