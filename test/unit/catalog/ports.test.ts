import { describe, expect, it } from "vitest";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("ports.report across versions", () => {
  it("ports.report reads 0.35 JSON, 0.38 JSON and text alike; on 0.30 (no ports plugin) Dokku's refusal is passed on", async () => {
    const want = { map: [], detected: ["http:80:5000", "https:443:5000"] };
    expect(await runOp(simRelay(sim({ version: "0.35.20" })), "ports.report", { app: "api" })).toEqual({ ...want, format: "json" });
    expect(await runOp(simRelay(sim({ version: "0.38.27" })), "ports.report", { app: "api" })).toEqual({ ...want, format: "json" });
    expect(await runOp(simRelay(sim({ version: "0.38.27" }), { dokkuVersion: null }), "ports.report", { app: "api" })).toEqual({ ...want, format: "text" });
    const old = await runOp(simRelay(sim({ version: "0.30.11" })), "ports.report", { app: "api" }).catch((e: unknown) => e);
    expect(old).toMatchObject({ code: "dokku_error", message: expect.stringContaining("is not a dokku command") });
  });
});

/** ports ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "ports.report",
    args: { app: "blog.v2" },
    command: "ports:report",
    check: (r) => expect(r).toEqual({ map: [], detected: ["http:80:5000"], format: "json" }),
    missing: { app: "ghost" },
  },
  {
    op: "ports.add",
    args: { app: "api", mappings: ["http:8080:5000", "tcp:2222:22"] },
    command: "ports:add",
    happy: async (ctx) => {
      const r = await runOp(ctx, "ports.add", { app: "api", mappings: ["tcp:2222:22", "http:8080:5000"] });
      expect(r.output).toContain("-----> Creating http nginx.conf");
      expect(ctx.argvs.at(-1)).toEqual(["ports:add", "api", "--", "tcp:2222:22", "http:8080:5000"]);
      expect((await runOp(ctx, "ports.report", { app: "api" })).map).toEqual(["http:8080:5000", "tcp:2222:22"]);
    },
    missing: { app: "ghost", mappings: ["http:80:5000"] },
  },
  {
    op: "ports.remove",
    args: { app: "api", mappings: ["http:8080:5000"] },
    command: "ports:remove",
    happy: async (ctx) => {
      await runOp(ctx, "ports.add", { app: "api", mappings: ["http:8080:5000", "http:80:5000"] });
      await runOp(ctx, "ports.remove", { app: "api", mappings: ["http:8080:5000"] });
      expect((await runOp(ctx, "ports.report", { app: "api" })).map).toEqual(["http:80:5000"]);
    },
    missing: { app: "ghost", mappings: ["http:80:5000"] },
  },
];

defineMatrix(cases);
