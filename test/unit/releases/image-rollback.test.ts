import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../../support/sim.js";
import { runOp, simRelay } from "../../support/ops.js";

/**
 * Rollback of releases deployed from an image (git:from-image): the relay keeps each such release's
 * image under `docklight-release:APP-N` (docker image tag) and deploys it again with git:from-image,
 * which finds it on the host and skips the pull; an image no longer there refuses the rollback in
 * its preview, before anything runs; only the newest images per app are kept.
 */
let sim: Sim;
afterEach(() => sim?.cleanup());

const A = "registry.example.com/shop/web:1.0";
const B = "registry.example.com/shop/web:2.0";

function host(s: Sim) {
  const st = JSON.parse(readFileSync(join(s.dir, "state.json"), "utf8")) as {
    apps: Record<string, { config: Record<string, string>; deploySourceMetadata?: string }>;
    images?: Record<string, string>;
  };
  return { api: st.apps.api!, images: st.images ?? {} };
}

describe("rollback of an image release", () => {
  it("deploy image A, change config, deploy image B, roll back to A: A's image and config are live, in one change that is release 3", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "config.set", { app: "api", vars: { MODE: "a" }, noRestart: true });
    await runOp(relay, "git.fromImage", { app: "api", image: A });
    await runOp(relay, "config.set", { app: "api", vars: { MODE: "b", ADDED: "1" }, noRestart: true });
    await runOp(relay, "git.fromImage", { app: "api", image: B });
    expect(host(sim).images["docklight-release:api-1"]).toBe(host(sim).images[A]);
    expect(host(sim).images["docklight-release:api-2"]).toBe(host(sim).images[B]);

    const plan = await runOp(relay, "releases.plan", { app: "api", number: 1 });
    expect(plan.blocked).toBeNull();
    expect(plan.code).toEqual({ how: "image", says: `deploy the image ${A} again, as the relay kept it at release 1 (docklight-release:api-1)` });
    expect(plan.diff?.config).toEqual({ added: [], removed: ["ADDED"], changed: ["MODE"] });

    const opsBefore = new Set([...relay.history.scan({ app: "api", show: "changes" })].map((e) => e.opId));
    relay.argvs.length = 0;
    const done = await runOp(relay, "releases.rollback", { app: "api", number: 1 });
    expect(done.output).toContain("Image exists on host, skipping pull");
    const { api, images } = host(sim);
    expect(images[api.deploySourceMetadata!]).toBe(images[A]);
    expect(api.config).toMatchObject({ MODE: "a" });
    expect(api.config.ADDED).toBeUndefined();
    // one deploy, from the kept image, and no pull
    expect(relay.argvs.filter((a) => a[0] === "git:from-image" || a[0] === "ps:rebuild")).toEqual([["git:from-image", "api", "docklight-release:api-1"]]);
    const rollbackOps = new Set([...relay.history.scan({ app: "api", show: "changes" })].filter((e) => !opsBefore.has(e.opId)).map((e) => `${e.opId} ${e.op}`));
    expect([...rollbackOps].map((o) => o.split(" ")[1])).toEqual(["releases.rollback"]);

    const list = await runOp(relay, "releases.list", { app: "api" });
    expect(list.releases.map((r) => [r.number, r.live, r.rollbackTo, r.source.kind])).toEqual([
      [3, true, 1, "image"],
      [2, false, null, "image"],
      [1, false, null, "image"],
    ]);
    // the rollback is a release whose image is kept too, so it can be rolled back
    expect(host(sim).images["docklight-release:api-3"]).toBe(images[A]);
  }, 180_000);

  it("an image the relay kept but that is no longer on the host refuses the rollback in its preview, and nothing runs", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "git.fromImage", { app: "api", image: A });
    await runOp(relay, "config.set", { app: "api", vars: { MODE: "b" }, noRestart: true });
    await runOp(relay, "git.fromImage", { app: "api", image: B });
    expect((await sim.docker("image", "rm", "docklight-release:api-1")).stdout).toBe("Untagged: docklight-release:api-1\n");

    const plan = await runOp(relay, "releases.plan", { app: "api", number: 1 });
    expect(plan.code).toBeNull();
    expect(plan.blocked).toBe(
      `the image the relay kept for this release (docklight-release:api-1, of ${A}) is no longer on the host (removed by hand or by a docker prune); nothing was changed.`,
    );
    relay.argvs.length = 0;
    const err = await runOp(relay, "releases.rollback", { app: "api", number: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "bad_request", message: expect.stringContaining("is no longer on the host") });
    expect(
      relay.argvs.filter((a) => ["config:set", "config:unset", "git:from-image", "ps:rebuild", "git:sync", "image"].includes(a[0]!) && a[1] !== "inspect"),
    ).toEqual([]);
    expect(host(sim).api.config.MODE).toBe("b");
  }, 120_000);

  it("keeps the images of the newest image releases per app (here 2) and untags the older ones", async () => {
    sim = makeSim();
    const relay = simRelay(sim, { keptImages: 2 });
    for (const image of [A, B, "registry.example.com/shop/web:3.0"]) await runOp(relay, "git.fromImage", { app: "api", image });
    expect(Object.keys(host(sim).images).filter((r) => r.startsWith("docklight-release:"))).toEqual(["docklight-release:api-2", "docklight-release:api-3"]);
    expect((await runOp(relay, "releases.plan", { app: "api", number: 1 })).blocked).toMatch(
      /^the relay did not keep the image .* last 2 image releases per app/,
    );
    expect((await runOp(relay, "releases.plan", { app: "api", number: 2 })).code?.how).toBe("image");
  }, 120_000);
});
