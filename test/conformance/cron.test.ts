import { describe, expect, it } from "vitest";
import { CronSection } from "../../worker/pages/app/cron.js";
import { hostZone } from "../../relay/catalog/cron.js";
import { page, recordings, replay, replayError } from "./harness.js";

/** The pages' clock, fixed: Sunday 6 December 2026, 12:10 UTC. */
const NOW = Date.UTC(2026, 11, 6, 12, 10);

/** The cron plugin replayed from recordings (fixtures/cron.json, each naming its source in plugins/cron of dokku/dokku). */
describe("cron", () => {
  const weekly = JSON.parse(recordings.get("cron-list/0.35")!.stdout[0]!)[1].id as string;

  it("0.35's list (TemplateCommand: id, app, command, schedule): nothing suspended, no suspend offered", async () => {
    const r = await replay("cron.list", { app: "api" }, "0.35.20", ["cron-list/0.35"]);
    expect(r.canSuspend).toBe(false);
    expect(r.tasks.map((t) => [t.schedule, t.command, t.suspended])).toEqual([
      ["@daily", "python manage.py clearsessions", false],
      ["5 4 * * sun", "python manage.py send_digest --weekly", false],
    ]);
    const text = page(CronSection({ host: "demo", app: "api", list: { kind: "ok", result: { ...r, zone: "UTC" } }, historyHref: "/h", now: NOW }));
    expect(text).toContain("@daily every day at midnight (host time) python manage.py clearsessions next run 2026-12-07 00:00:00 UTC (in 12 h)");
    expect(text).toContain("5 4 * * sun python manage.py send_digest --weekly next run 2026-12-13 04:05:00 UTC (in 7 d)");
    expect(text).toContain("Suspend and resume need Dokku 0.37.0 or later.");
    expect(text).not.toMatch(/\bSuspend python/);
  });

  it("0.38's list (CronTask): the suspended task says so and offers Resume; a skipped task's warning is not a task", async () => {
    const r = await replay("cron.list", { app: "api" }, "0.38.27", ["cron-list/0.38-suspended"]);
    expect(r.tasks[1]).toMatchObject({ id: weekly, concurrency: "forbid", suspended: true, appSuspended: false });
    const text = page(CronSection({ host: "demo", app: "api", list: { kind: "ok", result: { ...r, zone: "Europe/Berlin" } }, historyHref: "/h", now: NOW }));
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
    expect((await replay("cron.global", {}, "0.38.27", ["cron-list/global"])).tasks).toMatchObject([
      { id: "5cruaotm4yzzpnjlsdunblj8qyjp", global: true, command: "/bin/true" },
    ]);
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
