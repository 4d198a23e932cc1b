import { describe, expect, it } from "vitest";
import { LOG_TAIL_CHARS } from "../../../relay/catalog/logs.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe("logs.tail streams with bounded memory and stops when cancelled", () => {
  it("keeps only a capped tail of a flood, strips colour from chunks and lines, and is killed on cancel", async () => {
    const s = sim();
    s.env.DOKKU_SIM_LOG_MS = "1";
    s.env.DOKKU_SIM_LOG_BATCH = "400";
    const abort = new AbortController();
    const ctx = simRelay(s, { signal: abort.signal });
    let seen = 0;
    const timer = setInterval(() => {
      seen = ctx.chunks.reduce((n, c) => n + c.length, 0);
      if (seen > LOG_TAIL_CHARS * 8) abort.abort();
    }, 20);
    const err = await runOp(ctx, "logs.tail", { app: "api", lines: 10 }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(err).toMatchObject({ code: "cancelled" });
    expect(seen).toBeGreaterThan(LOG_TAIL_CHARS * 8);
    expect(ctx.chunks.join("")).not.toContain("\u001b[");
    expect(ctx.argvs).toEqual([["logs", "api", "-n", "10", "-t"]]);
    const row = ctx.history.list(1, 0).entries[0]!;
    expect(row.outcome).toBe("cancelled");
    expect(row.stdout.length).toBeLessThanOrEqual(LOG_TAIL_CHARS + 200);
  });

  it("returns the last lines without colour when not following, per process type", async () => {
    const ctx = simRelay(sim());
    const { lines } = await runOp(ctx, "logs.tail", { app: "api", lines: 3, process: "worker", follow: false });
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => / app\[worker\.1\]: /.test(l))).toBe(true);
    expect(ctx.argvs[0]).toEqual(["logs", "api", "-n", "3", "-p", "worker"]);
  });
});

describe("dokku logs of an app that was never deployed", () => {
  // CommandDefault in plugins/logs/subcommands.go of dokku/dokku, failing through LogFailWithError
  // (plugins/common/log.go): the message on stderr behind ` !     `, nothing on stdout, exit 1.
  it("the simulator prints what Dokku prints", async () => {
    const res = await sim().dokku("logs", "staging", "-n", "100", "-t");
    expect({ stdout: res.stdout, stderr: res.stderr, exitCode: res.exitCode }).toEqual({
      stdout: "",
      stderr: " !     App staging has not been deployed\n",
      exitCode: 1,
    });
  });
});

/** Log ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "logs.tail",
    args: { app: "api", lines: 5, follow: false },
    command: "logs",
    check: (r) => {
      expect(r.lines).toHaveLength(5);
      expect(r.lines[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z app\[(web|worker)\.1\]: /);
      expect(r.lines.join("\n")).not.toContain("\u001b");
    },
    missing: { app: "ghost", follow: false },
  },
  {
    op: "logs.failed",
    args: { app: "queue-worker" },
    command: "logs:failed",
    check: (r) => {
      expect(r.output).toContain("=====> queue-worker failed deploy logs");
      expect(r.output).not.toContain("\u001b");
    },
    missing: { app: "ghost" },
  },
];

defineMatrix(cases);
