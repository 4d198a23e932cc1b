import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { parseCronList } from "../../../relay/catalog/cron.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";
import { base36 } from "../../simulator/commands/cron.js";
import type { Sim } from "../../support/sim.js";

const sim = freshSims();

/** The seeded api's daily task, as Dokku names it (GenerateCommandID in plugins/cron/cron.go). */
const DAILY = base36("api===python manage.py clearsessions===@daily");

const cases: Case[] = [
  {
    op: "cron.list",
    args: { app: "api" },
    command: "cron:list",
    missing: { app: "ghost" },
    check: (r) => {
      expect(r.tasks.map((t: { schedule: string }) => t.schedule)).toEqual(["@daily", "5 4 * * sun"]);
      expect(r.tasks[0]).toMatchObject({ id: DAILY, app: "api", command: "python manage.py clearsessions", suspended: false, concurrency: "" });
      expect(r.canSuspend).toBe(false);
    },
  },
  {
    op: "cron.host",
    args: {},
    command: "apps:list",
    missing: null,
    version: "0.38.27",
    check: (r) => {
      expect(r.global).toEqual({
        tasks: [expect.objectContaining({ app: "", command: "dokku letsencrypt:auto-renew", schedule: "24 6 * * *", global: true })],
        error: null,
      });
      expect(r.apps.map((a: { app: string; tasks: unknown[] }) => [a.app, a.tasks.length])).toEqual([
        ["api", 2],
        ["blog.v2", 0],
        ["queue-worker", 1],
        ["staging", 0],
      ]);
      expect(r.apps[0].tasks[0]).toMatchObject({ id: DAILY, app: "api", concurrency: "allow" });
      expect(r.canSuspend).toBe(true);
    },
  },
  {
    op: "cron.run",
    args: { app: "api", id: DAILY },
    command: "cron:run",
    missing: { app: "ghost", id: DAILY },
    check: (r) => expect(r.output).toBe("running python manage.py clearsessions\n"),
  },
  {
    op: "cron.suspend",
    args: { app: "api", id: DAILY },
    command: "cron:suspend",
    version: "0.38.27",
    missing: { app: "ghost", id: DAILY },
    check: (r) => expect(r.output).toBe(`=====> Setting maintenance.${DAILY} to true\n`),
  },
  {
    op: "cron.resume",
    args: { app: "api", id: DAILY },
    command: "cron:resume",
    version: "0.38.27",
    missing: { app: "ghost", id: DAILY },
    check: (r) => expect(r.output).toBe(`=====> Unsetting maintenance.${DAILY}\n`),
  },
];

defineMatrix(cases);

async function injectGlobal(s: Sim, lines: string[]) {
  await s.dokku("apps:list");
  const file = join(s.dir, "state.json");
  const state = JSON.parse(readFileSync(file, "utf8"));
  state.globalCron = lines;
  writeFileSync(file, JSON.stringify(state));
}

describe("the host's time zone", () => {
  it("cron.list reports the zone the relay runs in, which is the host's: the zone its cron daemon reads schedules in", async () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = "Europe/Berlin";
      expect((await runOp(simRelay(sim()), "cron.list", { app: "api" })).zone).toBe("Europe/Berlin");
      process.env.TZ = "UTC";
      expect((await runOp(simRelay(sim()), "cron.list", { app: "api" })).zone).toBe("UTC");
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe.concurrent("cron", () => {
  it("0.38 lists each task's policy and whether it is suspended; suspend and resume change it", async () => {
    const s = sim({ version: "0.38.27" });
    const ctx = simRelay(s);
    const before = await runOp(ctx, "cron.list", { app: "api" });
    expect(before.canSuspend).toBe(true);
    expect(before.tasks.map((t) => [t.concurrency, t.suspended])).toEqual([
      ["allow", false],
      ["forbid", false],
    ]);
    await runOp(ctx, "cron.suspend", { app: "api", id: DAILY });
    expect((await runOp(simRelay(s), "cron.list", { app: "api" })).tasks[0]).toMatchObject({ suspended: true, appSuspended: false });
    await runOp(ctx, "cron.resume", { app: "api", id: DAILY });
    expect((await runOp(simRelay(s), "cron.list", { app: "api" })).tasks[0]!.suspended).toBe(false);
    expect(ctx.argvs).toEqual([
      ["cron:list", "api", "--format", "json"],
      ["apps:exists", "api"],
      ["cron:suspend", "api", DAILY],
      ["apps:exists", "api"],
      ["cron:resume", "api", DAILY],
    ]);
  });

  it("suspend and resume on 0.35 are refused before anything runs, naming the version they need", async () => {
    const ctx = simRelay(sim());
    for (const op of ["cron.suspend", "cron.resume"] as const) {
      const err = await runOp(ctx, op, { app: "api", id: DAILY }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "unavailable", message: expect.stringMatching(/arrived in Dokku 0\.37\.0; this host runs Dokku 0\.35\.20/) });
    }
    expect(ctx.argvs).toEqual([]);
  });

  it("with an unknown version, Dokku's own 'not a dokku command' becomes the same plain message", async () => {
    const err = await runOp(simRelay(sim(), { dokkuVersion: null }), "cron.suspend", { app: "api", id: DAILY }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringContaining("arrived in Dokku 0.37.0") });
  });

  it("--global lists what plugins inject, with the id Dokku gives it; before 0.36.7 it is not run, and says so", async () => {
    const s = sim({ version: "0.38.27" });
    await injectGlobal(s, ["@daily;/bin/true"]);
    // the id from tests/unit/cron.bats of dokku/dokku ("cron:list --global --format json")
    expect((await runOp(simRelay(s), "cron.host", {})).global.tasks).toEqual([
      {
        id: "5cruaotm4yzzpnjlsdunblj8qyjp",
        app: "",
        command: "/bin/true",
        schedule: "@daily",
        concurrency: "",
        suspended: false,
        appSuspended: false,
        global: true,
      },
    ]);
    // 0.36.7 prints TemplateCommand; an injected line of neither 2 nor 3 parts is skipped with a warning
    const old = sim({ version: "0.36.7" });
    await injectGlobal(old, ["@daily;/bin/true", "not a task"]);
    expect((await runOp(simRelay(old), "cron.host", {})).global).toEqual({
      tasks: [expect.objectContaining({ id: "5cruaotm4yzzpnjlsdunblj8qyjp", command: "/bin/true", global: true, suspended: false })],
      error: null,
    });
    const ctx = simRelay(sim({ version: "0.36.6" }));
    const r = await runOp(ctx, "cron.host", {});
    expect(r.global).toEqual({ tasks: [], error: expect.stringContaining("arrived in Dokku 0.36.7") });
    expect(r.apps.find((a) => a.app === "api")!.tasks).toHaveLength(2);
    expect(ctx.argvs.some((a) => a.includes("--global"))).toBe(false);
  });

  it("every app's tasks: a list Dokku refuses says why in its own part, the read goes on; an app gone meanwhile is left out; a hanging list is the read's timeout", async () => {
    const s = sim({ version: "0.38.27" });
    s.faults({ "cron:list": { exitCode: 1, stderr: " !     Invalid cron schedule for app x (schedule nope): expected exactly 5 fields" } });
    const failed = await runOp(simRelay(s), "cron.host", {});
    expect(failed.apps.map((a) => a.error)).toEqual(Array(4).fill("Invalid cron schedule for app x (schedule nope): expected exactly 5 fields"));
    expect(failed.global.error).toContain("Invalid cron schedule");

    const gone = sim({ version: "0.38.27" });
    gone.faults({ "cron:list": { exitCode: 20, stderr: " !     App api does not exist" } });
    const r = await runOp(simRelay(gone), "cron.host", {});
    expect(r.apps.map((a) => a.app)).toEqual([]);
    // a hanging list is the whole read's timeout, not a row's
    const slow = sim({ version: "0.38.27" });
    slow.faults({ "cron:list": { hang: true } });
    await expect(runOp(simRelay(slow, { timeoutMs: 700 }), "cron.host", {})).rejects.toMatchObject({ code: "timeout" });
  });

  it("an unknown id is Dokku's own words; an id that is not base36 never reaches Dokku", async () => {
    const s = sim({ version: "0.38.27" });
    await expect(runOp(simRelay(s), "cron.run", { app: "api", id: "zzz" })).rejects.toMatchObject({
      code: "dokku_error",
      message: /^No matching Cron ID found/,
    });
    await expect(runOp(simRelay(s), "cron.suspend", { app: "api", id: "zzz" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Invalid task maintenance property, no matching task ID found: maintenance.zzz",
    });
    for (const id of ["--detach", "-x", "ABC", "a b", "a;b", ""]) expect(ops["cron.run"].args.safeParse({ app: "api", id }).success, id).toBe(false);
  });

  it("reads the 0.35 and the 0.38 JSON, and refuses output in no known form", () => {
    expect(parseCronList('[{"id":"a1","app":"api","command":"x","schedule":"@hourly"}]')).toEqual([
      { id: "a1", app: "api", command: "x", schedule: "@hourly", concurrency: "", suspended: false, appSuspended: false, global: false },
    ]);
    expect(parseCronList("[]\n")).toEqual([]);
    expect(() => parseCronList("ID  Schedule  Command")).toThrow();
    expect(() => parseCronList('[{"id":"a1"}]')).toThrow();
  });
});
