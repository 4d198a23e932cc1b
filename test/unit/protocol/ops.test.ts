import { describe, expect, it } from "vitest";
import { commandOutput, freshMsOf, invalidatesOf, isChangeOp, opNames, ops, type ChangeOp } from "../../../protocol/ops.js";

describe("op declarations", () => {
  it("every change answers with the command's output and says what it makes stale; no change is cached", () => {
    const changes = opNames.filter(isChangeOp);
    expect(changes.length).toBeGreaterThan(20);
    for (const op of changes) {
      expect(ops[op].result, op).toBe(commandOutput);
      expect(["app", "host"], op).toContain(invalidatesOf(op));
      expect(freshMsOf(op), op).toBe(0);
    }
  });

  it("a change naming no app is declared host-wide", () => {
    for (const op of opNames.filter(isChangeOp)) {
      const takesApp = "shape" in ops[op].args ? "app" in (ops[op].args as { shape: object }).shape : true;
      if (!takesApp) expect(invalidatesOf(op as ChangeOp), op).toBe("host");
    }
    expect(invalidatesOf("databases.create")).toBe("host");
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
