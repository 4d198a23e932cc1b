import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

const cases: Case[] = [
  {
    op: "apps.rename",
    args: { app: "staging", newName: "preview" },
    command: "apps:rename",
    missing: { app: "ghost", newName: "preview" },
    check: (r) => expect(r.output).toBe("-----> Renaming staging to preview\n-----> Creating preview...\n-----> Destroying staging (including all add-ons)\n"),
  },
  {
    op: "apps.clone",
    args: { app: "api", newName: "api-copy", skipDeploy: true },
    command: "apps:clone",
    missing: { app: "ghost", newName: "copy" },
    check: (r) => expect(r.output).toBe("-----> Cloning api to api-copy\n-----> Creating api-copy...\n"),
  },
];

defineMatrix(cases);

describe.concurrent("rename and clone", () => {
  it("writes Go's flags before the names, and the apps list follows", async () => {
    const s = sim();
    const ctx = simRelay(s);
    await runOp(ctx, "apps.clone", { app: "api", newName: "api2", skipDeploy: true, ignoreExisting: true });
    await runOp(ctx, "apps.rename", { app: "api2", newName: "api3", skipDeploy: true });
    expect(ctx.argvs).toEqual([
      ["apps:clone", "--skip-deploy", "--ignore-existing", "api", "api2"],
      ["apps:rename", "--skip-deploy", "api2", "api3"],
    ]);
    const { apps } = await runOp(simRelay(s), "apps.list", {});
    expect(apps.map((a) => a.name)).toContain("api3");
    expect(apps.map((a) => a.name)).not.toContain("api2");
  });

  it("a taken name fails with Dokku's words; a clone told to ignore it warns and succeeds", async () => {
    const s = sim();
    await expect(runOp(simRelay(s), "apps.rename", { app: "staging", newName: "api" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Name is already taken",
    });
    await expect(runOp(simRelay(s), "apps.clone", { app: "staging", newName: "api" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Name is already taken",
    });
    expect(await runOp(simRelay(s), "apps.clone", { app: "staging", newName: "api", ignoreExisting: true })).toEqual({
      output: "",
      warning: "Name is already taken",
    });
  });

  it("renames an app whose legacy name Dokku no longer accepts (shown as CLI only) to a valid one", async () => {
    const s = sim();
    await runOp(simRelay(s), "apps.list", {});
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.apps["Old_App"] = state.apps.staging;
    writeFileSync(file, JSON.stringify(state));
    await runOp(simRelay(s), "apps.rename", { app: "Old_App", newName: "old-app", skipDeploy: true });
    const names = (await runOp(simRelay(s), "apps.list", {})).apps.map((a) => a.name);
    expect(names).toContain("old-app");
    expect(names).not.toContain("Old_App");
  });

  it("refuses a new name Dokku would refuse, or the same name, before anything runs", () => {
    const bad = (args: object) => ops["apps.rename"].args.safeParse(args).success;
    expect(bad({ app: "Old_App", newName: "New_App" })).toBe(false);
    expect(bad({ app: "api", newName: "api" })).toBe(false);
    expect(bad({ app: "api", newName: "--force" })).toBe(false);
    expect(ops["apps.clone"].args.safeParse({ app: "Old_App", newName: "x" }).success).toBe(false);
  });
});
