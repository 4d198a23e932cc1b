import { afterEach, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../../support/sim.js";
import { runOp, simRelay } from "../../support/ops.js";

/**
 * A Cancel that arrives once a deploy's command has ended (the dashboard's Cancel, clicked as the
 * output finished) came too late to stop the change: its release is recorded whole, as if nobody
 * had clicked (relay/releases/record.ts, DokkuCall.afterEnd).
 */
const REPO = "https://github.com/dokku/smoke-test-app.git";
const FIRST = "1111111111111111111111111111111111111111";

let sim: Sim;
afterEach(() => sim?.cleanup());

describe("a late cancel", () => {
  it("once the deploy command ended, the release still gets its code, its snapshot and goes live; none of its reads is cancelled", async () => {
    sim = makeSim();
    const cancel = new AbortController();
    const relay = simRelay(sim, { signal: cancel.signal });
    const exec = relay.runtime.exec!;
    relay.runtime.exec = async (bin, argv, o) => {
      const res = await exec(bin, argv, o);
      if (argv[0] === "git:sync") cancel.abort(); // the deploy printed its last line: Cancel now
      return res;
    };
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: FIRST });
    expect(cancel.signal.aborted).toBe(true);

    const reader = simRelay(sim, { history: relay.history });
    const [release] = (await runOp(reader, "releases.list", { app: "api" })).releases;
    expect(release).toMatchObject({ number: 1, outcome: "ok", live: true, snapshot: true, source: { kind: "git-sync", repo: REPO, sha: FIRST } });
    const rows = relay.history.list(1000, 0).entries;
    expect(rows.some((r) => r.argv.includes("git:report"))).toBe(true);
    expect(rows.filter((r) => r.outcome === "cancelled").map((r) => r.argv)).toEqual([]);
  }, 60_000);

  it("a Cancel during the deploy still stops it, and its release records that", async () => {
    sim = makeSim();
    const cancel = new AbortController();
    cancel.abort(); // before the command could start
    const relay = simRelay(sim, { signal: cancel.signal });
    const err = await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: FIRST }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "cancelled" });
    const reader = simRelay(sim, { history: relay.history });
    const [release] = (await runOp(reader, "releases.list", { app: "api" })).releases;
    expect(release).toMatchObject({ number: 1, outcome: "cancelled", live: false, snapshot: false });
  }, 60_000);
});
