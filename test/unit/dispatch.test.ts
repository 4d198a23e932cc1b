import { describe, expect, it } from "vitest";
import { Dispatcher } from "../../relay/dispatch.js";
import type { Log } from "../../relay/log.js";
import type { OpVerifier } from "../../relay/verify.js";
import { fakeRelay } from "../support/ops.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Log;

/** A verifier whose verdict comes only when the test says (as a slow signature check would). */
function heldVerifier(op: string, args: unknown) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const verifier = {
    verify: async (id: string) => {
      await gate;
      return { ok: true as const, claims: { id, op, args, sub: "admin", host: "test" } };
    },
  } as unknown as OpVerifier;
  return { verifier, release };
}

function dispatcher(op: string, args: unknown) {
  const relay = fakeRelay();
  const held = heldVerifier(op, args);
  const started: string[] = [];
  const d = new Dispatcher({ ...relay.runtime, verifier: held.verifier, policy: { readOnly: false, deny: [] }, log: quiet, onStarted: (id) => started.push(id) });
  return { d, relay, release: held.release, started };
}

describe("Dispatcher", () => {
  it("keeps a cancel that overtakes a read's checks: the read then runs no command", async () => {
    const { d, relay, release } = dispatcher("logs.tail", { app: "api", lines: 100 });
    const pending = d.handle("op-1", "jws");
    expect(d.inFlight).toBe(1);
    d.cancel("op-1"); // the viewer left before the op was verified
    release();
    await pending;
    expect(relay.argvs).toEqual([]);
    expect(d.inFlight).toBe(0);
  });

  it("keeps a cancel that overtakes a change's checks: the change starts, cancelled, and runs no command", async () => {
    const { d, relay, release, started } = dispatcher("apps.restart", { app: "api" });
    const pending = d.handle("op-2", "jws");
    d.cancel("op-2");
    release();
    await pending;
    expect(started).toEqual(["op-2"]);
    expect(relay.argvs).toEqual([]);
    expect(d.inFlight).toBe(0);
  });

  it("runs a change whose checks pass when nobody cancelled it", async () => {
    const { d, relay, release } = dispatcher("apps.restart", { app: "api" });
    const pending = d.handle("op-3", "jws");
    release();
    const res = await pending;
    expect(res).toMatchObject({ type: "result", id: "op-3", ok: true });
    expect(relay.argvs).toEqual([["ps:restart", "api"]]);
  });
});
