import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OpName } from "../../../protocol/ops.js";
import { freshSims } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

/**
 * The reads a page makes that need several Dokku commands run them together: every command of the
 * op starts before any of them ends (on a simulator whose every call takes 300 ms, as a real host's
 * bash entry script does), so the op costs one command's time, not the sum.
 */
describe.concurrent("reads of several commands run them together", () => {
  const cases: Array<[OpName, Record<string, unknown>, number]> = [
    ["apps.list", {}, 2],
    ["apps.detail", { app: "api" }, 3],
    ["tls.status", { app: "api" }, 5],
    ["databases.overview", {}, 6],
    ["deploy.report", { app: "api" }, 4],
  ];
  for (const [op, args, commands] of cases) {
    it(`${op}: ${commands} commands, one deep`, async () => {
      const s = sim();
      const log = join(s.dir, "calls.log");
      s.env.DOKKU_SIM_LATENCY_MS = "300";
      s.env.DOKKU_SIM_CALL_LOG = log;
      await runOp(simRelay(s), op, args);
      const calls = readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(" ").slice(0, 2).map(Number) as [number, number]);
      expect(calls).toHaveLength(commands);
      const lastStart = Math.max(...calls.map(([start]) => start));
      const firstEnd = Math.min(...calls.map(([, end]) => end));
      expect(lastStart, `${op}: a command started only after another had ended`).toBeLessThan(firstEnd);
    });
  }
});
