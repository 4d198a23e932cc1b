import { afterEach, describe, expect, it, vi } from "vitest";
import { ops } from "../../../../protocol/ops.js";
import { PendingOps, RECENT_ENDS_KEEP, RECENT_ENDS_MS, REPLY_MARGIN_MS, STARTED_CHANGE_CEILING_MS } from "../../../../worker/hub/pending-ops.js";

const failed = { kind: "error", code: "dokku_error", message: "refused" } as const;

describe("PendingOps' memory of how changes ended", () => {
  it("remembers a change's outcome for RECENT_ENDS_MS after it settled, a read's never", async () => {
    let now = 1_000;
    const pending = new PendingOps(
      () => {},
      () => now,
    );
    const change = pending.wait("c", { op: "apps.restart", args: { app: "api" }, conn: "x" }, () => {});
    const read = pending.wait("r", { op: "apps.list", args: {}, conn: "x" }, () => {});
    pending.started("c");
    pending.settle("c", failed);
    pending.settle("r", { kind: "ok", result: { apps: [] } } as never);
    await Promise.all([change, read]);
    expect(pending.endedRecently("c")).toEqual(failed);
    expect(pending.endedRecently("r")).toBeUndefined();
    now += RECENT_ENDS_MS + 1;
    expect(pending.endedRecently("c")).toBeUndefined();
  });

  it("keeps at most RECENT_ENDS_KEEP, the oldest dropped first", () => {
    const pending = new PendingOps(() => {});
    for (let i = 0; i <= RECENT_ENDS_KEEP; i++) pending.ended(`c${i}`, failed);
    expect(pending.endedRecently("c0")).toBeUndefined();
    expect(pending.endedRecently("c1")).toEqual(failed);
    expect(pending.endedRecently(`c${RECENT_ENDS_KEEP}`)).toEqual(failed);
  });
});

describe("PendingOps' deadlines", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const past = (ms: number) => vi.advanceTimersByTime(ms + 1);
  const outcomeOf = (p: Promise<unknown>) => Promise.race([p, Promise.resolve("pending")]);

  it("ends a change the relay never accepted, and a read, at their timeout plus the margin", async () => {
    vi.useFakeTimers();
    const pending = new PendingOps(() => {});
    const change = pending.wait("c", { op: "apps.restart", args: { app: "api" }, conn: "x" }, () => {});
    const read = pending.wait("r", { op: "apps.list", args: {}, conn: "x" }, () => {});
    past(Math.max(ops["apps.restart"].timeoutMs, ops["apps.list"].timeoutMs) + REPLY_MARGIN_MS);
    expect(await change).toMatchObject({ kind: "unknown" });
    expect(await read).toMatchObject({ kind: "timeout" });
  });

  // A burst of changes queues on the relay for process slots: a started one ended "outcome unknown"
  // at its timeout counted from when it was SENT, while it was still waiting to run (seen: 25 of 200).
  it("leaves a started change to the relay past its timeout, until its result comes", async () => {
    vi.useFakeTimers();
    const timedOut: string[] = [];
    const pending = new PendingOps(() => {});
    const change = pending.wait("c", { op: "apps.create", args: { app: "burst-1" }, conn: "x" }, () => timedOut.push("c"));
    pending.started("c");
    past(ops["apps.create"].timeoutMs * 3 + REPLY_MARGIN_MS);
    expect(await outcomeOf(change)).toBe("pending");
    expect(timedOut).toEqual([]);
    pending.settle("c", { kind: "ok", result: { exitCode: 0, stdout: "", stderr: "" } } as never);
    expect(await change).toMatchObject({ kind: "ok" });
  });

  it("ends a started change the relay never ends as outcome unknown at STARTED_CHANGE_CEILING_MS", async () => {
    vi.useFakeTimers();
    const pending = new PendingOps(() => {});
    const change = pending.wait("c", { op: "apps.create", args: { app: "burst-1" }, conn: "x" }, () => {});
    pending.started("c");
    past(STARTED_CHANGE_CEILING_MS);
    expect(await change).toMatchObject({ kind: "unknown" });
  });

  // A timer per op (and another once a change started) was most of the hub's CPU for an op's wait.
  it("holds one timer for all its ops, none once the last ended; each still ends at its own deadline", async () => {
    vi.useFakeTimers();
    const pending = new PendingOps(() => {});
    const reads = Array.from({ length: 10 }, (_, i) => pending.wait(`r${i}`, { op: "apps.list", args: {}, conn: "x" }, () => {}));
    const change = pending.wait("c", { op: "apps.restart", args: { app: "api" }, conn: "x" }, () => {});
    const later = pending.wait("l", { op: "apps.restart", args: { app: "web" }, conn: "x" }, () => {});
    pending.started("c");
    expect(vi.getTimerCount()).toBe(1);
    for (let i = 0; i < 10; i++) pending.settle(`r${i}`, { kind: "ok", result: { apps: [] } } as never);
    await Promise.all(reads);
    past(ops["apps.restart"].timeoutMs + REPLY_MARGIN_MS);
    expect(await later).toMatchObject({ kind: "unknown" });
    expect(await outcomeOf(change)).toBe("pending");
    expect(vi.getTimerCount()).toBe(1);
    pending.settle("c", { kind: "ok", result: { exitCode: 0, stdout: "", stderr: "" } } as never);
    expect(vi.getTimerCount()).toBe(0);
  });
});
