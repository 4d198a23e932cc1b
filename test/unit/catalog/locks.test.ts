import { describe, expect, it } from "vitest";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

const cases: Case[] = [
  {
    op: "apps.lock",
    args: { app: "api" },
    command: "apps:lock",
    missing: { app: "ghost" },
    check: (r) => expect(r.output).toBe("-----> Deploy lock created\n"),
  },
];

defineMatrix(cases);

describe.concurrent("the deploy lock", () => {
  it("apps:lock holds it (apps:report's app-locked says so), apps:unlock frees it, on 0.35 and 0.38 alike", async () => {
    for (const version of ["0.35.20", "0.38.27"]) {
      const s = sim({ version });
      await runOp(simRelay(s), "apps.lock", { app: "api" });
      expect((await runOp(simRelay(s), "deploy.report", { app: "api" })).locked).toBe(true);
      await runOp(simRelay(s), "apps.unlock", { app: "api" });
      expect((await runOp(simRelay(s), "deploy.report", { app: "api" })).locked).toBe(false);
    }
  });
});
