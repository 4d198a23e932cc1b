import { describe, expect, it } from "vitest";
import { nextRun, NextRunText } from "../../../../worker/pages/cron-next.js";
import { until } from "../../../../worker/pages/ago.js";
import { zonedTime } from "../../../../worker/pages/time.js";

/** Every case reads a fixed clock: Sunday 6 December 2026, 12:10:00 UTC. */
const NOW = Date.UTC(2026, 11, 6, 12, 10, 0);
const at = (iso: string) => ({ kind: "at", ms: Date.parse(iso) });
const text = (node: unknown) =>
  String(node)
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

describe("nextRun", () => {
  it("reads Dokku's descriptors and five-field schedules in the host's zone", () => {
    expect(nextRun("@daily", "UTC", NOW)).toEqual(at("2026-12-07T00:00:00Z"));
    expect(nextRun("@hourly", "UTC", NOW)).toEqual(at("2026-12-06T13:00:00Z"));
    expect(nextRun("*/15 * * * *", "UTC", NOW)).toEqual(at("2026-12-06T12:15:00Z"));
    // 04:05 on Sundays: today's has passed, next Sunday's is next
    expect(nextRun("5 4 * * sun", "UTC", NOW)).toEqual(at("2026-12-13T04:05:00Z"));
    expect(nextRun("0 9 * * MON-FRI", "UTC", NOW)).toEqual(at("2026-12-07T09:00:00Z"));
    // midnight in Berlin (UTC+1 in December) is 23:00 UTC
    expect(nextRun("@daily", "Europe/Berlin", NOW)).toEqual(at("2026-12-06T23:00:00Z"));
    expect(nextRun("30 18 * * *", "America/New_York", NOW)).toEqual(at("2026-12-06T23:30:00Z"));
  });

  it("day of month and day of week: either, as Vixie cron reads them, and only the one given when the other is *", () => {
    // the 13th or any Friday: Friday 11 December comes first
    expect(nextRun("0 0 13 * 5", "UTC", NOW)).toEqual(at("2026-12-11T00:00:00Z"));
    expect(nextRun("0 0 13 * *", "UTC", NOW)).toEqual(at("2026-12-13T00:00:00Z"));
    expect(nextRun("0 0 * * 5", "UTC", NOW)).toEqual(at("2026-12-11T00:00:00Z"));
  });

  it("a fixed-time run in a DST gap runs just after it, as cron runs it", () => {
    // Berlin skips 02:00-03:00 on 28 March 2027: the 02:30 run happens at 03:00 CEST (01:00 UTC)
    expect(nextRun("30 2 * * *", "Europe/Berlin", Date.UTC(2027, 2, 26, 12))).toEqual(at("2027-03-27T01:30:00Z"));
    expect(nextRun("30 2 * * *", "Europe/Berlin", Date.UTC(2027, 2, 27, 13))).toEqual(at("2027-03-28T01:00:00Z"));
  });

  it("a schedule no date matches is never; one croner refuses says why, and never throws", () => {
    expect(nextRun("0 0 30 2 *", "UTC", NOW)).toEqual({ kind: "never" });
    // robfig/cron's @every passes Dokku's check, but is no crontab expression
    expect(nextRun("@every 5m", "UTC", NOW)).toMatchObject({ kind: "unread", reason: expect.stringContaining("@every 5m") });
    expect(nextRun("61 * * * *", "UTC", NOW)).toMatchObject({ kind: "unread", reason: expect.stringContaining("minute") });
    // a sixth field would be seconds to croner: refused, as cron itself has none
    expect(nextRun("0 0 1 1 * 2027", "UTC", NOW)).toMatchObject({ kind: "unread" });
    expect(nextRun("", "UTC", NOW)).toMatchObject({ kind: "unread" });
    expect(nextRun("@daily", "Not/AZone", NOW)).toMatchObject({ kind: "unread" });
  });
});

describe("the next run as the Cron pages write it", () => {
  it("an absolute time in the host's zone, and how far ahead", () => {
    expect(text(NextRunText({ schedule: "@daily", zone: "UTC", now: NOW }))).toBe("next run 2026-12-07 00:00:00 UTC (in 12 h)");
    expect(text(NextRunText({ schedule: "@daily", zone: "Europe/Berlin", now: NOW }))).toBe("next run 2026-12-07 00:00:00 Europe/Berlin (in 11 h)");
    expect(String(NextRunText({ schedule: "@daily", zone: "UTC", now: NOW }))).toContain('datetime="2026-12-07T00:00:00.000Z"');
  });

  it("says what it could not compute instead of failing, and nothing for a suspended task", () => {
    expect(text(NextRunText({ schedule: "@every 5m", zone: "UTC", now: NOW }))).toMatch(
      /^next run not computed: croner cannot read this schedule \(.*@every 5m/,
    );
    expect(text(NextRunText({ schedule: "0 0 30 2 *", zone: "UTC", now: NOW }))).toBe("next run: never (no date matches this schedule)");
    expect(text(NextRunText({ schedule: "@daily", zone: "UTC", now: NOW, suspended: true }))).toBe("next run: none while suspended");
    // an older relay reports no zone: UTC, Dokku's default, is assumed and said
    expect(text(NextRunText({ schedule: "@daily", zone: undefined, now: NOW }))).toContain("2026-12-07 00:00:00 UTC (in 12 h) (this relay does not report");
  });

  it("until and zonedTime", () => {
    expect([40_000, 12 * 60_000, 3 * 3_600_000, 2 * 86_400_000].map((d) => until(NOW + d, NOW))).toEqual(["in 40 s", "in 12 min", "in 3 h", "in 2 d"]);
    expect(zonedTime(Date.UTC(2026, 6, 1, 22, 0, 5), "Europe/Berlin")).toBe("2026-07-02 00:00:05 Europe/Berlin");
    expect(zonedTime(NOW, "UTC")).toBe("2026-12-06 12:10:00 UTC");
  });
});
