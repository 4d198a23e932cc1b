import { describe, expect, it } from "vitest";
import { commandOutput, freshMsOf, invalidatesOf, isChangeOp, opNames, ops, type ChangeOp, type OpName } from "../../../protocol/ops.js";

describe("op declarations", () => {
  it("every change answers with the command's output and says what it makes stale; no change is cached", () => {
    const changes = opNames.filter(isChangeOp);
    expect(changes.length).toBeGreaterThan(20);
    for (const op of changes) {
      expect(ops[op].result, op).toBe(commandOutput);
      const stale = invalidatesOf(op);
      if (stale !== "host") expect(stale.length, op).toBeGreaterThan(0);
      expect(freshMsOf(op), op).toBe(0);
    }
  });

  it("a change names only reads that exist, and only reads the edge caches, as what it makes stale", () => {
    for (const op of opNames.filter(isChangeOp)) {
      const stale = invalidatesOf(op as ChangeOp);
      if (stale === "host") continue;
      for (const read of stale) {
        expect(Object.hasOwn(ops, read), `${op} names ${read}`).toBe(true);
        expect(freshMsOf(read as OpName), `${op} names ${read}`).toBeGreaterThan(0);
      }
    }
    expect(invalidatesOf("apps.destroy")).toBe("host");
    // what drift is made of going stale makes drift stale
    expect(invalidatesOf("ports.add")).toEqual(["ports.report", "releases.drift"]);
    expect(invalidatesOf("config.set")).toContain("releases.drift");
    expect(invalidatesOf("apps.scale.set")).toContain("releases.drift");
    expect(invalidatesOf("releases.keep")).toContain("releases.drift");
  });

  it("every read that runs a dokku command is cached for a while", () => {
    for (const op of [
      "apps.list",
      "apps.detail",
      "domains.all",
      "domains.report",
      "ports.report",
      "deploy.report",
      "buildpacks.report",
      "tls.status",
      "plugins.list",
      "databases.overview",
    ] as const) {
      expect(freshMsOf(op), op).toBeGreaterThan(0);
    }
  });

  it("live reads (logs, health, history, the ping) are never cached", () => {
    for (const op of ["logs.tail", "logs.failed", "server.health", "relay.ping", "history.list", "history.export"] as const) expect(freshMsOf(op), op).toBe(0);
    expect(freshMsOf("apps.list")).toBeGreaterThan(0);
  });

  it("only ops that run long commands stream", () => {
    const streaming = opNames.filter((op) => ops[op].streams);
    expect(streaming).toContain("logs.tail");
    expect(streaming).toContain("git.sync");
    expect(streaming).not.toContain("apps.list");
    for (const op of streaming) expect(ops[op].timeoutMs, op).toBeGreaterThanOrEqual(120_000);
  });
});
