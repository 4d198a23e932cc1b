import { describe, expect, it } from "vitest";
import { PendingOps, RECENT_ENDS_KEEP, RECENT_ENDS_MS } from "../../../../worker/hub/pending-ops.js";

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
