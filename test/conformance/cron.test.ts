import { describe, expect, it } from "vitest";
import { CronSection } from "../../worker/pages/app/cron.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostZone } from "../../relay/catalog/cron.js";
import { HostCronList } from "../../worker/pages/host-cron.js";
import { makeSim } from "../support/sim.js";
import { page, recordings, replay, replayError } from "./harness.js";

/** The pages' clock, fixed: Sunday 6 December 2026, 12:10 UTC. */
const NOW = Date.UTC(2026, 11, 6, 12, 10);

/** The cron plugin replayed from recordings (fixtures/cron.json, each naming its source in plugins/cron of dokku/dokku). */
describe("cron", () => {
  const everyApp = [
    "apps-list/0.38.27",
    "cron-list/0.38-suspended",
    "cron-list/0.38-none",
    "cron-list/0.38-invalid-schedule",
    "cron-list/0.38-missing-command",
  ];

  it("the host's list: global tasks as 0.36.7 and 0.38 print them, each app's, an app whose list Dokku refuses in its own line", async () => {
    const old = await replay("cron.host", {}, "0.36.7", ["cron-list/global-0.36.7", ...everyApp]);
    expect(old.global.tasks).toMatchObject([
      { command: "dokku letsencrypt:auto-renew", schedule: "24 6 * * *", global: true, suspended: false, concurrency: "" },
    ]);
    expect(old.canSuspend).toBe(false);
    const r = await replay("cron.host", {}, "0.38.27", ["cron-list/global-letsencrypt", ...everyApp]);
    expect(r.global).toEqual({ tasks: old.global.tasks, error: null });
    expect(r.apps.map((a) => [a.app, a.tasks.length, a.error])).toEqual([
      ["api", 2, null],
      ["blog", 0, null],
      ["staging", 0, "Invalid cron schedule for app staging (schedule 0 0 * *): expected exactly 5 fields, found 4: [0 0 * *]"],
      ["worker", 0, null],
    ]);
    const text = page(HostCronList({ host: "demo", list: { kind: "ok", result: { ...r, zone: "UTC" } }, historyHref: "/h", may: () => true, now: NOW }));
    expect(text).toContain("3 tasks on 4 apps (2 with none); times in the host's zone, UTC.");
    expect(text).toContain("host-wide 24 6 * * * dokku letsencrypt:auto-renew next run 2026-12-07 06:24:00 UTC (in 18 h)");
    expect(text).toContain(
      "api @daily every day at midnight (host time) python manage.py clearsessions next run 2026-12-07 00:00:00 UTC (in 12 h) Run now Suspend",
    );
    expect(text).toContain("api 5 4 * * sun python manage.py send_digest --weekly suspended concurrency: forbid next run: none while suspended Run now Resume");
    expect(text).toContain("staging : its tasks could not be listed: Invalid cron schedule for app staging");
    // a viewer: the same list, no buttons (the policy says no to every change)
    const viewer = page(HostCronList({ host: "demo", list: { kind: "ok", result: { ...r, zone: undefined } }, historyHref: "/h", may: () => false, now: NOW }));
    expect(viewer).not.toMatch(/Run now|Suspend|Resume/);
    expect(viewer).toContain("UTC (assumed: this relay does not report it)");
  });

  it("the simulator prints --global as each version's recording", async () => {
    for (const [version, id] of [
      ["0.36.7", "cron-list/global-0.36.7"],
      ["0.38.27", "cron-list/global-letsencrypt"],
    ] as const) {
      const s = makeSim({ version });
      try {
        if (version === "0.38.27") {
          await s.dokku("apps:list");
          const file = join(s.dir, "state.json");
          writeFileSync(
            file,
            JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), globalCron: [...JSON.parse(readFileSync(file, "utf8")).globalCron, "not-a-task"] }),
          );
        }
        const res = await s.dokku("cron:list", "--global", "--format", "json");
        const rec = recordings.get(id)!;
        expect([res.exitCode, res.stdout, res.stderr]).toEqual([
          rec.exitCode,
          rec.stdout.map((l) => `${l}\n`).join(""),
          rec.stderr.map((l) => `${l}\n`).join(""),
        ]);
      } finally {
        s.cleanup();
      }
    }
  });

  const weekly = JSON.parse(recordings.get("cron-list/0.35")!.stdout[0]!)[1].id as string;

  it("0.35's list (TemplateCommand: id, app, command, schedule): nothing suspended, no suspend offered", async () => {
    const r = await replay("cron.list", { app: "api" }, "0.35.20", ["cron-list/0.35"]);
    expect(r.canSuspend).toBe(false);
    expect(r.tasks.map((t) => [t.schedule, t.command, t.suspended])).toEqual([
      ["@daily", "python manage.py clearsessions", false],
      ["5 4 * * sun", "python manage.py send_digest --weekly", false],
    ]);
    const text = page(
      CronSection({ host: "demo", app: "api", list: { kind: "ok", result: { ...r, zone: "UTC" } }, historyHref: "/h", may: () => true, now: NOW }),
    );
    expect(text).toContain("@daily every day at midnight (host time) python manage.py clearsessions next run 2026-12-07 00:00:00 UTC (in 12 h)");
    expect(text).toContain("5 4 * * sun python manage.py send_digest --weekly next run 2026-12-13 04:05:00 UTC (in 7 d)");
    expect(text).toContain("Suspend and resume need Dokku 0.37.0 or later.");
    expect(text).not.toMatch(/\bSuspend python/);
  });

  it("0.38's list (CronTask): the suspended task says so and offers Resume; a skipped task's warning is not a task", async () => {
    const r = await replay("cron.list", { app: "api" }, "0.38.27", ["cron-list/0.38-suspended"]);
    expect(r.tasks[1]).toMatchObject({ id: weekly, concurrency: "forbid", suspended: true, appSuspended: false });
    const text = page(
      CronSection({ host: "demo", app: "api", list: { kind: "ok", result: { ...r, zone: "Europe/Berlin" } }, historyHref: "/h", may: () => true, now: NOW }),
    );
    expect(text).toContain("python manage.py send_digest --weekly suspended concurrency: forbid next run: none while suspended");
    expect(text).toContain("python manage.py clearsessions next run 2026-12-07 00:00:00 Europe/Berlin (in 11 h)");
    expect(text).toContain("read in the host's time zone (Europe/Berlin)");
    expect(await replay("cron.list", { app: "worker" }, "0.38.27", ["cron-list/0.38-missing-command"])).toEqual({
      tasks: [],
      canSuspend: true,
      zone: hostZone(),
    });
  });

  it("--global, suspend and resume as 0.38 prints them", async () => {
    const host = await replay("cron.host", {}, "0.38.27", [
      "cron-list/global",
      "apps-list/0.38.27",
      "cron-list/0.38-suspended",
      "cron-list/0.38-none",
      "cron-list/0.38-invalid-schedule",
      "cron-list/0.38-missing-command",
    ]);
    expect(host.global.tasks).toMatchObject([{ id: "5cruaotm4yzzpnjlsdunblj8qyjp", global: true, command: "/bin/true" }]);
    expect((await replay("cron.suspend", { app: "api", id: weekly }, "0.38.27", ["apps-exists/api", "cron-suspend/weekly"])).output).toBe(
      `=====> Setting maintenance.${weekly} to true\n`,
    );
    expect((await replay("cron.resume", { app: "api", id: weekly }, "0.38.27", ["apps-exists/api", "cron-resume/weekly"])).output).toBe(
      `=====> Unsetting maintenance.${weekly}\n`,
    );
  });

  it("a missing app is not_found; a failed run says the run's own last lines; an unknown id is Dokku's words", async () => {
    expect(await replayError("cron.list", { app: "ghost" }, "0.35.20", ["cron-list/missing-app"])).toMatchObject({ code: "not_found" });
    const daily = JSON.parse(recordings.get("cron-list/0.35")!.stdout[0]!)[0].id as string;
    expect(await replayError("cron.run", { app: "api", id: daily }, "0.38.27", ["cron-run/failed"])).toMatchObject({
      code: "dokku_error",
      message: expect.stringContaining("django.db.utils.OperationalError: could not connect to server"),
    });
    expect(await replayError("cron.run", { app: "api", id: "zzz" }, "0.35.20", ["cron-run/unknown-id"])).toMatchObject({
      code: "dokku_error",
      message: "No matching Cron ID found. Please specify a Cron ID from the output of 'dokku cron:list api'",
    });
  });
});
