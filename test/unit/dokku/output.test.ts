import { describe, expect, it } from "vitest";
import { isNotACommand } from "../../../relay/dokku/output.js";
import { freshSims } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe("Dokku's output conventions", () => {
  it("recognises an unknown command (a plugin not installed)", () => {
    const res = {
      exitCode: 1,
      stdout: "",
      stderr: " !     `letsencrypt:list` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n",
      durationMs: 1,
      stopped: null,
      startedAt: 0,
      finishedAt: 1,
    };
    expect(isNotACommand(res)).toBe(true);
    expect(isNotACommand({ ...res, stderr: " !     App x does not exist" })).toBe(false);
  });

  it("an exit-0 ` !     ` warning is reported as a warning, never plain success", async () => {
    const ctx = simRelay(sim());
    expect(await runOp(ctx, "apps.stop", { app: "staging" })).toEqual({ output: "", warning: "App staging has not been deployed" });
    expect(await runOp(ctx, "apps.start", { app: "api" })).toEqual({ output: "", warning: "App api already running" });
    expect((await runOp(ctx, "logs.failed", { app: "api" })).warning).toBe("No failed containers found");
  });
});
