import { expect } from "vitest";
import type { OpName, OpResult } from "../../protocol/ops.js";
import type { HostStatus } from "../../worker/hub/outcome.js";
import { runOp } from "../support/ops.js";
import { loadRecordings, recordedRelay, textOf } from "./recordings.js";

/** What a replay's relay may be given besides the recordings. */
type RelayOptions = Parameters<typeof recordedRelay>[2];

/** What the conformance tests share: the recordings, one version per family, replaying an op, rendering. */
export const recordings = loadRecordings();

/** One Dokku version per family: 0.30-0.33 text, 0.34-0.37, 0.38.0-0.38.21 bash JSON, 0.38.22+ Go JSON. */
export const FAMILIES = ["0.33.9", "0.35.20", "0.38.16", "0.38.27"] as const;

export const host: HostStatus = {
  host: "demo",
  name: "demo",
  connected: true,
  connectedAt: 0,
  lastHeartbeat: 0,
  lastSeen: 0,
  relayVersion: "test",
  dokkuVersion: "0.35.20",
  simulated: false,
  readOnly: false,
};

/**
 * Run `op` through the relay's own runner against the named recordings only; every command it ran
 * must have been recorded. `opts.bytes`: where a dump's bytes go (test/support/byte-edge.ts).
 */
export async function replay<N extends OpName>(op: N, args: unknown, version: string, ids: string[], opts: RelayOptions = {}): Promise<OpResult<N>> {
  const recs = ids.map((id) => {
    const r = recordings.get(id);
    if (!r) throw new Error(`no recording ${id}`);
    return r;
  });
  const relay = recordedRelay(recs, version, opts);
  try {
    return await runOp(relay, op, args);
  } finally {
    expect(relay.unmatched, `${op} ran commands with no recording`).toEqual([]);
  }
}

/** Like replay, for an op that must fail: its code and message. */
export async function replayError(
  op: OpName,
  args: unknown,
  version: string,
  ids: string[],
  opts: RelayOptions = {},
): Promise<{ code: string; message: string }> {
  return (await replay(op, args, version, ids, opts).then(
    () => {
      throw new Error(`${op} should have failed`);
    },
    (e: unknown) => e,
  )) as { code: string; message: string };
}

/** A rendered component as the text a reader sees. */
export const page = (node: unknown) => textOf(String(node));
