import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../support/sim.js";
import { recordings, replay, replayError } from "./harness.js";

/**
 * Dokku 0.38's build records (fixtures/builds.json, each naming plugins/builds/subcommands.go):
 * the relay's parsers read them, and the simulator prints them byte for byte from the same records.
 */

/** The records behind the recordings, written as tests/unit/builds.bats' write_finished_record writes them. */
const RECORDS = [
  {
    id: "mxbm7k2a9q4z1c",
    kind: "build",
    pid: 4242,
    started: "2026-12-06T08:00:00Z",
    finished: "2026-12-06T08:01:05Z",
    status: "succeeded",
    source: "git-hook",
    exit: 0,
  },
  {
    id: "mxbm9p0c3d5e7f",
    kind: "deploy",
    pid: 4300,
    started: "2026-12-06T08:10:00Z",
    finished: "2026-12-06T08:10:12Z",
    status: "succeeded",
    source: "config-redeploy",
    exit: 0,
  },
  {
    id: "mxbmb1x2y3z4w5",
    kind: "build",
    pid: 4400,
    started: "2026-12-06T08:20:00Z",
    finished: "2026-12-06T08:20:40Z",
    status: "failed",
    source: "git-hook",
    exit: 1,
  },
];
const LOG = "-----> Cleaning up...\n-----> Building api from herokuish\n !     Build failed\n";

describe("builds:list, builds:info, builds:output, builds:cancel on 0.38 (JSON and text)", () => {
  it("builds:list --format json: every field, times in ms, newest first; none is an empty list", async () => {
    const r = await replay("builds.list", { app: "api" }, "0.38.27", ["builds-list/recorded/0.38.27"]);
    expect(r.builds.map((b) => [b.id, b.kind, b.status, b.source, b.exitCode, b.duration])).toEqual([
      ["mxbmb1x2y3z4w5", "build", "failed", "git-hook", 1, "40s"],
      ["mxbm9p0c3d5e7f", "deploy", "succeeded", "config-redeploy", 0, "12s"],
      ["mxbm7k2a9q4z1c", "build", "succeeded", "git-hook", 0, "1m5s"],
    ]);
    expect(r.builds[2]).toMatchObject({ pid: 4242, startedAt: Date.parse("2026-12-06T08:00:00Z"), finishedAt: Date.parse("2026-12-06T08:01:05Z") });
    expect(await replay("builds.list", { app: "staging" }, "0.38.27", ["builds-list/empty/0.38.27"])).toEqual({ builds: [] });
  });

  it("builds:output reads the record first (builds:info), then the log as it was printed", async () => {
    const r = await replay("builds.output", { app: "api", id: "mxbmb1x2y3z4w5" }, "0.38.27", ["builds-info/failed/0.38.27", "builds-output/failed/0.38.27"]);
    expect(r.build).toMatchObject({ id: "mxbmb1x2y3z4w5", status: "failed", exitCode: 1 });
    expect(r.output).toBe(LOG);
    expect(await replayError("builds.output", { app: "api", id: "nonexistent" }, "0.38.27", ["builds-info/missing/0.38.27"])).toMatchObject({
      code: "not_found",
      message: "Dokku has no record of build nonexistent of api",
    });
  });

  it("builds:cancel with nothing running says so and succeeds", async () => {
    expect(await replay("builds.cancel", { app: "api" }, "0.38.27", ["builds-cancel/idle/0.38.27"])).toEqual({
      output: "-----> App not currently deploying\n",
    });
  });

  it("0.35: no builds plugin, Dokku's answer for an unknown command becomes 'keeps no build records'", async () => {
    for (const [op, id] of [
      ["builds.list", "builds-list/missing/0.35.20"],
      ["builds.cancel", "builds-cancel/missing/0.35.20"],
    ] as const)
      expect(await replayError(op, { app: "api" }, "0.35.20", [id])).toMatchObject({
        code: "unavailable",
        message: "this host's Dokku keeps no build records (builds:* came in Dokku 0.38.0)",
      });
  });
});

describe("the simulator prints what the recordings hold", () => {
  let sims: Record<string, Sim>;
  beforeAll(async () => {
    sims = { "0.38.27": makeSim({ version: "0.38.27" }), "0.35.20": makeSim({ version: "0.35.20" }) };
    const dir = join(sims["0.38.27"]!.dir, "builds", "api");
    mkdirSync(dir, { recursive: true });
    for (const b of RECORDS) {
      const record = {
        id: b.id,
        app: "api",
        kind: b.kind,
        pid: b.pid,
        started_at: b.started,
        finished_at: b.finished,
        status: b.status,
        source: b.source,
        exit_code: b.exit,
      };
      writeFileSync(join(dir, `${b.id}.json`), JSON.stringify(record, null, 2));
      writeFileSync(join(dir, `${b.id}.log`), b.id === "mxbmb1x2y3z4w5" ? LOG : "");
    }
  });
  afterAll(() => Object.values(sims).forEach((s) => s.cleanup()));

  const ids = [...recordings.keys()].filter((id) => /^builds-/.test(id));
  it.each(ids)("%s", async (id) => {
    const r = recordings.get(id)!;
    const res = await sims[r.version]!.dokku(...r.argv);
    const text = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
    expect({ exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr }).toEqual({
      exitCode: r.exitCode,
      stdout: text(r.stdout),
      stderr: text(r.stderr),
    });
  });

  it("a build running when its process is gone is 'abandoned', as DisplayStatus says", async () => {
    const sim = sims["0.38.27"]!;
    await sim.dokku("git:sync", "api", "https://github.com/dokku/smoke-test-app.git", "1111111111111111111111111111111111111111");
    const list = JSON.parse((await sim.dokku("builds:list", "api", "--format", "json")).stdout) as Array<{
      source: string;
      status: string;
      display_status: string;
    }>;
    // git:sync without --build records a build it never finalizes (cmd-git-sync in plugins/git/internal-functions)
    expect(list[0]).toMatchObject({ source: "git:sync", status: "running", display_status: "abandoned" });
  });
});
