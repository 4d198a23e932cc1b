import { afterEach, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../../support/sim.js";
import { runOp, simRelay } from "../../support/ops.js";

/** Drift: the app against its live release, Docklight's own changes told from those made outside it. */
let sim: Sim;
afterEach(() => sim?.cleanup());

const config = async (s: Sim) => JSON.parse((await s.dokku("config:export", "api", "--format", "json")).stdout) as Record<string, string>;

describe("drift since the live release", () => {
  it("tells Docklight's changes from outside ones (keys only); revert restores the recorded values, keep records them", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "config.set", { app: "api", vars: { RECORDED: "old-secret-1" }, noRestart: true });
    await runOp(relay, "apps.rebuild", { app: "api" });
    expect(await runOp(relay, "releases.drift", { app: "api" })).toEqual({ live: 1, pending: null, outside: null });

    await runOp(relay, "config.set", { app: "api", vars: { MINE: "x" }, noRestart: true });
    // over SSH, behind Docklight's back
    await sim.dokku("config:set", "--no-restart", "api", "RECORDED=changed-secret-2", "STRAY=stray-secret-3");
    await sim.dokku("ps:scale", "--skip-deploy", "api", "worker=4");

    const drift = await runOp(relay, "releases.drift", { app: "api" });
    expect(drift.pending?.config).toEqual({ added: ["MINE"], removed: [], changed: [] });
    expect(drift.outside?.config).toEqual({ added: ["STRAY"], removed: [], changed: ["RECORDED"] });
    expect(drift.outside?.scale).toEqual([{ type: "worker", from: 1, to: 4 }]);
    expect(JSON.stringify(drift)).not.toMatch(/secret/);

    await runOp(relay, "releases.revert", { app: "api" });
    const after = await config(sim);
    expect(after).toMatchObject({ RECORDED: "old-secret-1", MINE: "x" });
    expect(after).not.toHaveProperty("STRAY");
    expect((await sim.dokku("ps:scale", "api")).stdout).toMatch(/worker:\s+1/);
    const reverted = await runOp(relay, "releases.drift", { app: "api" });
    expect(reverted.outside).toBeNull();
    expect(reverted.pending?.config.added).toEqual(["MINE"]);

    await sim.dokku("config:set", "--no-restart", "api", "STRAY=kept");
    await runOp(relay, "releases.keep", { app: "api" });
    expect(await runOp(relay, "releases.drift", { app: "api" })).toEqual({ live: 2, pending: null, outside: null });
    const list = await runOp(relay, "releases.list", { app: "api" });
    expect(list.releases[0]).toMatchObject({ number: 2, live: true, startedWith: "releases.keep" });
    expect(list.releases[0]!.diff?.config.added).toEqual(["MINE", "STRAY"]);
    const nothing = await runOp(relay, "releases.revert", { app: "api" }).catch((e: unknown) => e);
    expect(nothing).toMatchObject({ code: "bad_request", message: expect.stringMatching(/nothing to revert/) });
  }, 240_000);
});
