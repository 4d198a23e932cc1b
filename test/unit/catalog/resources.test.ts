import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { resourceKey } from "../../../relay/catalog/resources.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, FAMILIES_KNOWN_OR_NOT, relayKnowing, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();

describe.concurrent("resources across versions", () => {
  it("limits and reservations per process type read the same from 0.35 JSON, 0.38 JSON (with legacy keys) and text", async () => {
    const want = [
      { processType: "_default_", kind: "reserve", resource: "memory", value: "256m" },
      { processType: "web", kind: "limit", resource: "cpu", value: "0.5" },
      { processType: "web", kind: "limit", resource: "memory", value: "512m" },
    ];
    for (const [version, known] of FAMILIES_KNOWN_OR_NOT) {
      const s = sim({ version });
      const ctx = relayKnowing(s, known);
      await runOp(ctx, "resources.set", { app: "api", kind: "limit", processType: "web", cpu: "0.5", memory: "512m" });
      await runOp(ctx, "resources.set", { app: "api", kind: "reserve", processType: "_default_", memory: "256m" });
      expect(await runOp(ctx, "resources.report", { app: "api" }), `${version} ${known}`).toEqual({ entries: want, format: known ? "json" : "text" });
    }
  });

  it("clearing always names the process type: without one Dokku would drop limits and reservations alike", async () => {
    const ctx = simRelay(sim());
    await runOp(ctx, "resources.set", { app: "api", kind: "limit", processType: "_default_", memory: "1g" });
    await runOp(ctx, "resources.set", { app: "api", kind: "reserve", processType: "_default_", memory: "256m" });
    await runOp(ctx, "resources.clear", { app: "api", kind: "limit", processType: "_default_" });
    expect(ctx.argvs.at(-1)).toEqual(["resource:limit-clear", "--process-type", "_default_", "api"]);
    expect((await runOp(ctx, "resources.report", { app: "api" })).entries).toEqual([
      { processType: "_default_", kind: "reserve", resource: "memory", value: "256m" },
    ]);
  });

  it("values are held to their form at the schema; the relay writes the flags itself", async () => {
    for (const bad of [{ cpu: "-1" }, { memory: "--privileged" }, { memory: "512 m" }, { cpu: "1;2" }, {}]) {
      expect(ops["resources.set"].args.safeParse({ app: "api", kind: "limit", processType: "web", ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ops["resources.set"].args.safeParse({ app: "api", kind: "limit", processType: "-web", cpu: "1" }).success).toBe(false);
    const relay = fakeRelay();
    await runOp(relay, "resources.set", { app: "api", kind: "reserve", processType: "worker", memory: "2g" });
    expect(relay.argvs).toEqual([["resource:reserve", "--memory", "2g", "--process-type", "worker", "api"]]);
  });

  it("reads report keys in both layouts and nothing else", () => {
    expect(resourceKey("web.limit.memory-swap")).toEqual({ processType: "web", kind: "limit", resource: "memory-swap" });
    expect(resourceKey("_default_-reserve-cpu")).toEqual({ processType: "_default_", kind: "reserve", resource: "cpu" });
    expect(resourceKey("computed-type")).toBeNull();
  });
});

/** resource ops: happy path, missing app, Dokku error, timeout. */
const cases: Case[] = [
  {
    op: "resources.report",
    args: { app: "api" },
    command: "resource:report",
    check: (r) => expect(r).toEqual({ entries: [], format: "json" }),
    missing: { app: "ghost" },
  },
  {
    op: "resources.set",
    args: { app: "api", kind: "limit", processType: "web", memory: "512m" },
    command: "resource:limit",
    check: (r) => expect(r.output).toBe("=====> Setting resource limits for api (web)\n       memory: 512m\n"),
    missing: { app: "ghost", kind: "limit", processType: "web", memory: "512m" },
  },
  {
    op: "resources.clear",
    args: { app: "api", kind: "reserve", processType: "_default_" },
    command: "resource:reserve-clear",
    check: (r) => expect(r.output).toBe("=====> clearing api reservation\n"),
    missing: { app: "ghost", kind: "reserve", processType: "web" },
  },
];

defineMatrix(cases);
