import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeSim, type Sim } from "../../support/sim.js";
import { runOp, simRelay } from "../../support/ops.js";

/**
 * Releases on a simulated host, through the relay's own op path (runEntry): each deploy records a
 * release, the list carries keys only, and a rollback restores config, scale and code in one change.
 */
const SECRET = "marker-value-8c1f";
const REPO = "https://github.com/dokku/smoke-test-app.git";
const FIRST = "1111111111111111111111111111111111111111";
const SECOND = "2222222222222222222222222222222222222222";
/** The seeded api's commit, deployed with git push. */
const PUSHED = "cd7b8afccb202f222e7dc7b427553e71ba5ddafd";

/** Change one app of the simulated host's state as a hand on the host would (before a test runs ops). */
async function editApp(s: Sim, app: string, edit: (a: Record<string, unknown>) => void): Promise<void> {
  await s.dokku("apps:list"); // the seed is written on the first command
  const file = join(s.dir, "state.json");
  const st = JSON.parse(readFileSync(file, "utf8")) as { apps: Record<string, Record<string, unknown>> };
  edit(st.apps[app]!);
  writeFileSync(file, JSON.stringify(st));
}

let sim: Sim;
afterEach(() => sim?.cleanup());

async function state(s: Sim) {
  const config = JSON.parse((await s.dokku("config:export", "api", "--format", "json")).stdout) as Record<string, string>;
  const scale = (await s.dokku("ps:scale", "api")).stdout;
  return { config, scale };
}

describe("releases", () => {
  it("deploy, change config and scale, deploy again, roll back to the first: config, scale and code come back, and it is release 3", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "config.set", { app: "api", vars: { KEEP: "same", DROP_ME: SECRET }, noRestart: true });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: FIRST });
    await runOp(relay, "config.set", { app: "api", vars: { KEEP: "changed", ADDED: SECRET }, noRestart: true });
    await runOp(relay, "config.unset", { app: "api", keys: ["DROP_ME"], noRestart: true });
    await runOp(relay, "apps.scale.set", { app: "api", scale: { web: 3 }, skipDeploy: true });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: SECOND });

    const listed = await runOp(relay, "releases.list", { app: "api" });
    expect(listed.releases.map((r) => [r.number, r.outcome, r.live, r.source.sha])).toEqual([
      [2, "ok", true, SECOND],
      [1, "ok", false, FIRST],
    ]);
    expect(listed.releases[0]!.diff).toMatchObject({
      code: { from: FIRST, to: SECOND },
      config: { added: ["ADDED"], removed: ["DROP_ME"], changed: ["KEEP"] },
      scale: [{ type: "web", from: 1, to: 3 }],
    });
    expect(listed.releases[0]).toMatchObject({ by: "test", startedWith: "git.sync", title: "Deploy api from Git", source: { kind: "git-sync", repo: REPO } });
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const plan = await runOp(relay, "releases.plan", { app: "api", number: 1 });
    expect(plan).toMatchObject({
      blocked: null,
      code: { how: "git-sync" },
      diff: {
        code: { from: SECOND, to: FIRST },
        config: { added: ["DROP_ME"], removed: ["ADDED"], changed: ["KEEP"] },
        scale: [{ type: "web", from: 3, to: 1 }],
      },
    });
    expect(JSON.stringify(plan)).not.toContain(SECRET);

    relay.argvs.length = 0;
    await runOp(relay, "releases.rollback", { app: "api", number: 1 });
    const after = await state(sim);
    expect(after.config).toMatchObject({ KEEP: "same", DROP_ME: SECRET, GIT_REV: FIRST });
    expect(after.config).not.toHaveProperty("ADDED");
    expect(after.scale).toMatch(/web:\s+1/);
    expect(after.scale).toMatch(/worker:\s+1/);
    // one fetch (no build), one config:set, one config:unset, one scale without deploy, ONE deploy
    const changes = relay.argvs.filter((a) => ["git:sync", "config:set", "config:unset", "ps:scale", "ps:rebuild"].includes(a[0]!) && a.length > 2);
    expect(changes.map((a) => a.slice(0, 3))).toEqual([
      ["git:sync", "api", REPO],
      ["config:set", "--encoded", "--no-restart"],
      ["config:unset", "--no-restart", "api"],
      ["ps:scale", "--skip-deploy", "api"],
    ]);
    expect(relay.argvs.filter((a) => a[0] === "ps:rebuild")).toEqual([["ps:rebuild", "api"]]);

    const again = await runOp(relay, "releases.list", { app: "api" });
    expect(again.releases.map((r) => [r.number, r.live, r.rollbackTo, r.source.sha])).toEqual([
      [3, true, 1, FIRST],
      [2, false, null, SECOND],
      [1, false, null, FIRST],
    ]);
    expect(again.releases[0]!.title).toBe("Roll back api to release 1");
    // values only on demand, from the op that reveals
    expect((await runOp(relay, "releases.values", { app: "api", number: 1 })).vars).toMatchObject({ DROP_ME: SECRET, KEEP: "same" });
    // no value in the history the rollback left (argv masked, config:export withheld)
    expect(JSON.stringify(relay.history.list(1000, 0).entries)).not.toContain(SECRET);
    expect(relay.chunks.join("")).not.toContain(SECRET);
  }, 180_000);

  it("a rollback that cannot be done (an image deploy whose image the relay did not keep) says why before anything runs", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await editApp(sim, "api", (a) => Object.assign(a, { deploySource: "docker-image", deploySourceMetadata: "nginx:1.27" }));
    await runOp(relay, "apps.rebuild", { app: "api" });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: SECOND });
    const plan = await runOp(relay, "releases.plan", { app: "api", number: 1 });
    expect(plan.blocked).toMatch(/^the relay did not keep the image nginx:1\.27 of this release .*; nothing was changed\.$/);
    relay.argvs.length = 0;
    const err = await runOp(relay, "releases.rollback", { app: "api", number: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "bad_request",
      message: expect.stringMatching(/^Cannot roll back api to release 1: the relay did not keep the image nginx:1\.27/),
    });
    const changed = relay.argvs.filter(
      (a) =>
        ["git:sync", "git:set", "config:set", "config:unset", "ps:rebuild", "domains:add", "domains:remove", "builder:set"].includes(a[0]!) ||
        (a[0] === "ps:scale" && a.length > 2),
    );
    expect(changed).toEqual([]);
    // the refused rollback is a release that did not go live
    const list = await runOp(relay, "releases.list", { app: "api" });
    expect(list.releases[0]).toMatchObject({ number: 3, outcome: "error", live: false, snapshot: false });
    expect(list.releases[1]).toMatchObject({ number: 2, live: true });
  }, 120_000);

  it("a commit deployed with git push comes back from the app's own repository on the host", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "apps.rebuild", { app: "api" });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: SECOND });
    expect((await runOp(relay, "releases.plan", { app: "api", number: 1 })).code).toEqual({
      how: "app-repo",
      says: "build commit cd7b8af again from the app's own repository on the host (it was pushed there)",
    });
    relay.argvs.length = 0;
    await runOp(relay, "releases.rollback", { app: "api", number: 1 });
    expect(relay.argvs.filter((a) => a[0] === "git:sync")).toEqual([["git:sync", "api", "/home/dokku/api", PUSHED]]);
    expect((await state(sim)).config.GIT_REV).toBe(PUSHED);
  }, 120_000);

  it("a pushed commit git has pruned since stops the rollback before anything changed", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "apps.rebuild", { app: "api" });
    await runOp(relay, "config.set", { app: "api", vars: { FLAG: "on" }, noRestart: true });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: SECOND });
    await editApp(sim, "api", (a) => Object.assign(a, { shas: [SECOND] }));
    relay.argvs.length = 0;
    const err = await runOp(relay, "releases.rollback", { app: "api", number: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "dokku_error",
      message: "git could not fetch commit cd7b8af from api's own repository on the host (git may have pruned it since) (exit 128); nothing was changed.",
    });
    expect(relay.argvs.filter((a) => ["config:set", "config:unset", "ps:rebuild"].includes(a[0]!))).toEqual([]);
    expect((await state(sim)).config).toMatchObject({ FLAG: "on", GIT_REV: SECOND });
  }, 120_000);

  it("domains, ports and build settings come back too, and the preview lists them", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "apps.rebuild", { app: "api" });
    await runOp(relay, "domains.add", { app: "api", domains: ["new.example.com"] });
    await runOp(relay, "domains.remove", { app: "api", domains: ["api.demo.dokku.me"] });
    await runOp(relay, "ports.add", { app: "api", mappings: ["http:8080:5000"] });
    await runOp(relay, "builder.set", { app: "api", property: "build-dir", value: "web" });
    await runOp(relay, "buildpacks.add", { app: "api", url: "https://github.com/heroku/heroku-buildpack-nodejs.git" });
    await runOp(relay, "apps.rebuild", { app: "api" });
    const plan = await runOp(relay, "releases.plan", { app: "api", number: 1 });
    expect(plan.diff).toMatchObject({
      domains: { added: ["api.demo.dokku.me"], removed: ["new.example.com"] },
      ports: { added: [], removed: ["http:8080:5000"] },
      build: [
        { setting: "build directory", from: "web", to: "" },
        { setting: "buildpacks", from: "https://github.com/heroku/heroku-buildpack-nodejs.git", to: "" },
      ],
    });
    await runOp(relay, "releases.rollback", { app: "api", number: 1 });
    const back = JSON.parse(readFileSync(join(sim.dir, "state.json"), "utf8")).apps.api;
    expect(back.domains).toEqual(["api.demo.dokku.me"]);
    expect(back.ports ?? []).toEqual([]);
    expect(back.buildDir ?? "").toBe("");
    expect(back.buildpacks ?? []).toEqual([]);
    expect((await runOp(relay, "releases.drift", { app: "api" })).outside).toBeNull();
  }, 180_000);

  it("a rollback to the commit running now rebuilds it with the old config", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "apps.rebuild", { app: "api" });
    await runOp(relay, "config.set", { app: "api", vars: { FLAG: "on" }, noRestart: false });
    await runOp(relay, "apps.rebuild", { app: "api" });
    expect((await runOp(relay, "releases.plan", { app: "api", number: 1 })).code).toMatchObject({ how: "rebuild" });
    await runOp(relay, "releases.rollback", { app: "api", number: 1 });
    expect((await state(sim)).config).not.toHaveProperty("FLAG");
  }, 120_000);

  it("a repository that cannot be reached stops the rollback before the config is touched", async () => {
    sim = makeSim();
    const relay = simRelay(sim);
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: FIRST });
    await runOp(relay, "config.set", { app: "api", vars: { FLAG: "on" }, noRestart: true });
    await runOp(relay, "git.sync", { app: "api", remote: REPO, ref: SECOND });
    // git's clone and fetch errors go to /dev/null in Dokku: exit 128, nothing on stderr
    sim.faults({ "git:sync": { exitCode: 128 } });
    relay.argvs.length = 0;
    const err = await runOp(relay, "releases.rollback", { app: "api", number: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "dokku_error", message: `git could not fetch commit 1111111 from ${REPO} (exit 128); nothing was changed.` });
    expect(relay.argvs.filter((a) => ["config:set", "config:unset", "ps:rebuild"].includes(a[0]!))).toEqual([]);
    expect((await state(sim)).config).toMatchObject({ FLAG: "on", GIT_REV: SECOND });
  }, 120_000);
});
