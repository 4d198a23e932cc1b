import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../../support/sim.js";
import { runOp, simRelay } from "../../support/ops.js";

/**
 * Deploys made outside Docklight, from Dokku 0.38's build records (builds:list): listed as releases
 * "outside Docklight" with the state read when noticed; Docklight's own deploys keep their build id
 * and are never listed twice; a deploy started outside and running can be cancelled.
 */
let sim: Sim;
afterEach(() => sim?.cleanup());

describe("deploys made outside Docklight (0.38)", () => {
  it("a ps:rebuild over SSH is a release 'outside Docklight' with the state read when noticed; Docklight's own keeps its build id", async () => {
    sim = makeSim({ version: "0.38.27" });
    const relay = simRelay(sim);
    await runOp(relay, "apps.rebuild", { app: "api" });
    // by hand, over SSH: a value and a rebuild
    await sim.dokku("config:set", "--no-restart", "api", "FROM_SSH=1");
    await sim.dokku("ps:rebuild", "api");

    const list = await runOp(relay, "releases.list", { app: "api" });
    expect(list).toMatchObject({ seesOutside: true, running: [], outsideError: null, noticed: 1 });
    expect(list.releases.map((r) => [r.number, r.outside, r.by, r.startedWith, r.live, r.snapshot])).toEqual([
      [2, true, "outside Docklight", "git-hook", true, true],
      [1, false, "test", "apps.rebuild", false, true],
    ]);
    const [outside, ours] = list.releases;
    expect(outside!.buildId).toMatch(/^[a-z0-9]{14}$/);
    expect(ours!.buildId).toMatch(/^[a-z0-9]{14}$/);
    expect(outside!.buildId).not.toBe(ours!.buildId);
    expect(outside!.diff?.config.added).toEqual(["FROM_SSH"]);

    // noticed once: listing again records nothing new, and the live release is the outside one (no drift)
    const again = await runOp(relay, "releases.list", { app: "api" });
    expect(again.releases).toHaveLength(2);
    expect(again.noticed).toBe(0);
    expect(await runOp(relay, "releases.drift", { app: "api" })).toEqual({ live: 2, pending: null, outside: null });

    const out = await runOp(relay, "builds.output", { app: "api", id: outside!.buildId! });
    expect(out.output).toContain("-----> Building api from herokuish");
  }, 120_000);

  // Dokku's CommandCancel signals the build first and marks it canceled only if the build's own
  // finalize has not marked it failed meanwhile (plugins/builds/subcommands.go): the simulator's
  // cancel wins unless `finalizeFirst` makes it lose, as it can on a real host.
  it.each([
    { dokkuSays: "canceled", finalizeFirst: false },
    { dokkuSays: "failed", finalizeFirst: true },
  ])(
    "a deploy running that was started outside Docklight is listed as running, builds:cancel stops it, and its release says cancelled (Dokku recorded it $dokkuSays)",
    async ({ dokkuSays, finalizeFirst }) => {
      sim = makeSim({ version: "0.38.27" });
      const relay = simRelay(sim);
      sim.faults({ "ps:rebuild": { gate: "never-opened" }, "builds:cancel": { finalizeFirst } });
      const hand = sim.dokku("ps:rebuild", "api");
      let running: Awaited<ReturnType<typeof runOp<"releases.list">>>["running"] = [];
      while (running.length === 0) running = (await runOp(relay, "releases.list", { app: "api" })).running;
      expect(running[0]).toMatchObject({ source: "git-hook", status: "running", kind: "build" });

      const cancelled = await runOp(relay, "builds.cancel", { app: "api" });
      expect(cancelled.output).toBe("-----> Killing app deploy\n");
      expect((await hand).exitCode).not.toBe(0);
      expect(existsSync(join(sim.dir, "apps", "api", ".deploy.lock"))).toBe(false);
      // as a fast run had it: the record written just before the poll that saw it, the cancel 10 ms
      // after the build began (within SLACK_MS), which once took the build for Docklight's own
      const cancelAt = [...relay.history.scan({ app: "api", show: "changes" })].find((e) => e.argv[1] === "builds:cancel")!.startedAt;
      const file = join(sim.dir, "builds", "api", `${running[0]!.id}.json`);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), started_at: new Date(cancelAt - 10).toISOString() }, null, 2));
      const record = JSON.parse((await sim.dokku("builds:info", "api", running[0]!.id, "--format", "json")).stdout) as { status: string };
      expect(record.status).toBe(dokkuSays);
      const after = await runOp(relay, "releases.list", { app: "api" });
      expect(after).toMatchObject({ running: [], outsideError: null, noticed: 1 });
      expect(after.releases).toHaveLength(1);
      expect(after.releases[0]).toMatchObject({ outside: true, outcome: "cancelled", snapshot: false, buildId: running[0]!.id });
    },
    120_000,
  );

  it("a deploy made outside Docklight that failed on its own is a failed release, not a cancelled one", async () => {
    sim = makeSim({ version: "0.38.27" });
    const relay = simRelay(sim);
    sim.faults({ "ps:rebuild": { exitCode: 1, stderr: " !     the build failed" } });
    expect((await sim.dokku("ps:rebuild", "api")).exitCode).toBe(1);
    const list = await runOp(relay, "releases.list", { app: "api" });
    expect(list.releases.map((r) => [r.outside, r.outcome, r.snapshot])).toEqual([[true, "error", false]]);
  }, 60_000);

  it("0.35: nothing is read, and the list says it cannot see them", async () => {
    sim = makeSim({ version: "0.35.20" });
    const relay = simRelay(sim);
    await sim.dokku("ps:rebuild", "api");
    expect(await runOp(relay, "releases.list", { app: "api" })).toEqual({ releases: [], seesOutside: false, running: [], outsideError: null, noticed: 0 });
    expect(relay.argvs.filter((a) => a[0]?.startsWith("builds:"))).toEqual([]);
  }, 60_000);
});
