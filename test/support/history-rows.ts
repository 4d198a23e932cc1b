import type { HistoryRow } from "../../protocol/ops.js";
import type { CommandRecord, History } from "../../relay/history/store.js";

/**
 * A history row of an ended change, as the relay lists it: `mysql:create x`, ok, titled "Create
 * mysql database x". Pages' tests change what they look at with `over`.
 */
export function endedChangeRow(over: Partial<HistoryRow> = {}): HistoryRow {
  return {
    id: 9,
    opId: "6a0c1f4e-2b7d-4c58-9e31-7d2f0a9b8c41",
    op: "databases.create",
    app: null,
    argv: ["dokku", "mysql:create", "x"],
    exitCode: 0,
    outcome: "ok",
    durationMs: 800,
    requestedBy: "admin",
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_000_800,
    stdout: "",
    stderr: "",
    title: "Create mysql database x",
    cut: false,
    ...over,
  };
}

/**
 * The `i`th command the relay records (History.record): `ps:restart api`, ok, started `i` seconds
 * after a fixed time and ended 10 ms later. History's tests change what they look at with `over`.
 */
export function commandRecord(i: number, over: Partial<CommandRecord> = {}): CommandRecord {
  return {
    opId: `op-${i}`,
    host: "demo",
    op: "apps.restart",
    app: "api",
    argv: ["dokku", "ps:restart", "api"],
    exitCode: 0,
    outcome: "ok",
    stdout: "",
    stderr: "",
    durationMs: 10,
    requestedBy: "admin",
    startedAt: 1_700_000_000_000 + i * 1000,
    finishedAt: 1_700_000_000_010 + i * 1000,
    ...over,
  };
}

/** A change as `History.start` takes it when it begins: `ps:rebuild api` by admin, started at `startedAt` (ms), with no end yet. */
export function rebuildStart(opId: string, startedAt: number): Parameters<History["start"]>[0] {
  return { opId, host: "demo", op: "apps.rebuild", app: "api", argv: ["dokku", "ps:rebuild", "api"], requestedBy: "admin", startedAt };
}
