import { describe, expect, it } from "vitest";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("deploy.report across versions", () => {
  it("deploy.report reads apps:report and checks:report as text on 0.30 and JSON on 0.38", async () => {
    const want = { locked: true, deploySource: "git-push", checksDisabled: [], checksSkipped: [] };
    expect(await runOp(simRelay(sim({ version: "0.30.11" })), "deploy.report", { app: "queue-worker" })).toMatchObject({ ...want, format: "text" });
    const neu = simRelay(sim({ version: "0.38.27" }));
    await runOp(neu, "checks.set", { app: "queue-worker", state: "disabled" });
    expect(await runOp(neu, "deploy.report", { app: "queue-worker" })).toMatchObject({
      ...want,
      checksDisabled: ["_all_"],
      builderInEffect: "herokuish",
      format: "json",
    });
  });
});

/** Deploy ops (lock, checks, git:sync, builder, buildpacks): happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "deploy.report",
    args: { app: "queue-worker" },
    command: "checks:report",
    check: (r) =>
      expect(r).toEqual({
        locked: true,
        deploySource: "git-push",
        deploySourceMetadata: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd",
        checksDisabled: [],
        checksSkipped: [],
        branch: { own: "main", effective: "main", global: "master", either: [] },
        builder: "",
        builderInEffect: "",
        buildDir: "",
        format: "text",
      }),
    missing: { app: "ghost" },
  },
  {
    op: "checks.set",
    args: { app: "api", state: "skipped" },
    command: "checks:skip",
    happy: async (ctx, s) => {
      expect((await runOp(ctx, "checks.set", { app: "api", state: "skipped" })).output).toBe("-----> Skipping zero downtime for app (api)\n");
      expect(await runOp(ctx, "deploy.report", { app: "api" })).toMatchObject({ checksDisabled: [], checksSkipped: ["_all_"] });
      await runOp(ctx, "checks.set", { app: "api", state: "disabled" });
      expect(await runOp(ctx, "deploy.report", { app: "api" })).toMatchObject({ checksDisabled: ["_all_"], checksSkipped: [] });
      expect((await runOp(ctx, "checks.set", { app: "api", state: "enabled" })).output).toBe("-----> Enabling zero downtime for app's (api)\n");
      expect(await runOp(ctx, "deploy.report", { app: "api" })).toMatchObject({ checksDisabled: [], checksSkipped: [] });
      expect(ctx.argvs.filter((a) => a[0]!.startsWith("checks:") && a[0] !== "checks:report")).toEqual([
        ["checks:skip", "api"],
        ["checks:disable", "api"],
        ["checks:enable", "api"],
      ]);
    },
    missing: { app: "ghost", state: "enabled" },
  },
  {
    op: "apps.unlock",
    args: { app: "queue-worker" },
    command: "apps:unlock",
    happy: async (ctx, s) => {
      expect(await runOp(ctx, "apps.unlock", { app: "queue-worker" })).toEqual({
        output: "-----> Deploy lock removed\n",
        // every ` !     ` line of an exit-0 command is part of the warning
        warning: "A deploy may be in progress.\nRemoving the app lock will not stop in progress deploys.",
      });
      expect((await runOp(ctx, "deploy.report", { app: "queue-worker" })).locked).toBe(false);
      // no lock left: Dokku's own error
      await expect(runOp(ctx, "apps.unlock", { app: "queue-worker" })).rejects.toMatchObject({ code: "dokku_error", message: "Unable to remove deploy lock" });
    },
    missing: { app: "ghost" },
  },
  {
    op: "git.sync",
    args: { app: "staging", remote: "https://github.com/dokku/smoke-test-app.git", ref: "main" },
    command: "git:sync",
    happyTimeoutMs: 120_000,
    happy: async (ctx, s) => {
      const r = await runOp(ctx, "git.sync", { app: "staging", remote: "https://github.com/dokku/smoke-test-app.git", ref: "main" });
      expect(r.output).toMatch(/^-----> Cloning staging from https:\/\/github\.com\/dokku\/smoke-test-app\.git#main\n/);
      expect(r.output).toContain("=====> Application deployed:");
      expect(ctx.argvs.filter((a) => a[0] === "git:sync")).toEqual([["git:sync", "--build", "staging", "https://github.com/dokku/smoke-test-app.git", "main"]]);
      // Dokku records the ref resolved to its commit (cmd-git-sync in plugins/git/internal-functions)
      expect(await runOp(ctx, "deploy.report", { app: "staging" })).toMatchObject({
        deploySource: "git-sync",
        deploySourceMetadata: expect.stringMatching(/^https:\/\/github\.com\/dokku\/smoke-test-app\.git#[0-9a-f]{40}$/),
      });
      expect(await runOp(ctx, "apps.detail", { app: "staging" })).toMatchObject({ deployed: true, running: "true" });
      // git's error goes to /dev/null in Dokku: exit 128 and silence become a message that says what to check
      const err = await runOp(ctx, "git.sync", { app: "staging", remote: "git@github.com:acme/missing.git" }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: "dokku_error",
        message: expect.stringMatching(/^git could not fetch git@github\.com:acme\/missing\.git \(exit 128\)\. Check the URL/),
      });
    },
    missing: { app: "ghost", remote: "https://github.com/dokku/smoke-test-app.git" },
  },
  {
    op: "git.setDeployBranch",
    args: { app: "api", branch: "release" },
    command: "git:set",
    happy: async (ctx) => {
      expect((await runOp(ctx, "git.setDeployBranch", { app: "api", branch: "release" })).output).toBe("=====> Setting deploy-branch to release\n");
      expect((await runOp(ctx, "deploy.report", { app: "api" })).branch).toMatchObject({ own: "release", effective: "release" });
      expect((await runOp(ctx, "git.setDeployBranch", { app: "api" })).output).toBe("=====> Unsetting deploy-branch\n");
      // 0.35 prints `master` for an app without its own branch; with the global one master too, master deploys
      expect((await runOp(ctx, "deploy.report", { app: "api" })).branch).toEqual({ own: null, effective: "master", global: "master", either: [] });
      expect(ctx.argvs.filter((a) => a[0] === "git:set")).toEqual([
        ["git:set", "api", "deploy-branch", "release"],
        ["git:set", "api", "deploy-branch"],
      ]);
    },
    missing: { app: "ghost", branch: "main" },
  },
  {
    op: "builder.set",
    args: { app: "api", property: "selected", value: "dockerfile" },
    command: "builder:set",
    happy: async (ctx) => {
      expect((await runOp(ctx, "builder.set", { app: "api", property: "selected", value: "dockerfile" })).output).toBe(
        "=====> Setting selected to dockerfile\n",
      );
      await runOp(ctx, "builder.set", { app: "api", property: "build-dir", value: "apps/web" });
      expect(await runOp(ctx, "deploy.report", { app: "api" })).toMatchObject({ builder: "dockerfile", builderInEffect: "dockerfile", buildDir: "apps/web" });
      await runOp(ctx, "builder.set", { app: "api", property: "selected" });
      expect(await runOp(ctx, "deploy.report", { app: "api" })).toMatchObject({ builder: "", buildDir: "apps/web" });
      expect(ctx.argvs.filter((a) => a[0] === "builder:set").at(-1)).toEqual(["builder:set", "api", "--", "selected"]);
    },
    missing: { app: "ghost", property: "build-dir", value: "x" },
  },
  {
    op: "buildpacks.report",
    args: { app: "api" },
    command: "buildpacks:report",
    check: (r) => expect(r).toEqual({ buildpacks: [], format: "json" }),
    missing: { app: "ghost" },
  },
  {
    op: "buildpacks.add",
    args: { app: "api", url: "heroku/nodejs" },
    command: "buildpacks:add",
    happy: async (ctx) => {
      expect(await runOp(ctx, "buildpacks.add", { app: "api", url: "https://github.com/heroku/heroku-buildpack-nodejs.git" })).toEqual({ output: "" });
      await runOp(ctx, "buildpacks.add", { app: "api", url: "heroku/python", index: 1 });
      expect((await runOp(ctx, "buildpacks.report", { app: "api" })).buildpacks).toEqual([
        "heroku/python",
        "https://github.com/heroku/heroku-buildpack-nodejs.git",
      ]);
      expect(ctx.argvs.filter((a) => a[0] === "buildpacks:add").at(-1)).toEqual(["buildpacks:add", "--index", "1", "api", "--", "heroku/python"]);
    },
    missing: { app: "ghost", url: "heroku/nodejs" },
  },
  {
    op: "buildpacks.remove",
    args: { app: "api", url: "heroku/nodejs" },
    command: "buildpacks:remove",
    happy: async (ctx, s) => {
      // nothing set yet: Dokku's own message
      await expect(runOp(ctx, "buildpacks.remove", { app: "api", url: "heroku/nodejs" })).rejects.toMatchObject({
        code: "dokku_error",
        message: "No buildpacks were found, next release on api will detect buildpack normally",
      });
      await runOp(ctx, "buildpacks.add", { app: "api", url: "heroku/nodejs" });
      await runOp(ctx, "buildpacks.add", { app: "api", url: "heroku/python" });
      expect((await runOp(ctx, "buildpacks.remove", { app: "api", url: "heroku/nodejs" })).output).toBe("-----> Removing heroku/nodejs\n");
      expect((await runOp(ctx, "buildpacks.report", { app: "api" })).buildpacks).toEqual(["heroku/python"]);
      await runOp(ctx, "buildpacks.clear", { app: "api" });
      expect((await runOp(ctx, "buildpacks.report", { app: "api" })).buildpacks).toEqual([]);
    },
    missing: { app: "ghost", url: "heroku/nodejs" },
  },
  {
    op: "buildpacks.clear",
    args: { app: "api" },
    command: "buildpacks:clear",
    check: (r) => expect(r).toEqual({ output: "" }),
    missing: { app: "ghost" },
  },
];

defineMatrix(cases);
