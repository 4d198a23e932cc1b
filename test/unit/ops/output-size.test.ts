import { afterEach, describe, expect, it } from "vitest";
import { ALL_GRANTS } from "../../../protocol/policy.js";
import { MAX_FRAME_BYTES, resultFrame, type ResultFrame } from "../../../protocol/frames.js";
import { RESULT_OUTPUT_CHARS } from "../../../protocol/output-bound.js";
import type { Log } from "../../../relay/cli/log.js";
import { HISTORY_OUTPUT_CAP } from "../../../relay/history/store.js";
import type { OpVerifier } from "../../../relay/link/verify.js";
import { Dispatcher, fitFrame } from "../../../relay/ops/dispatch.js";
import { makeSim, type Sim } from "../../support/sim.js";
import { simRelay } from "../../support/ops.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Log;
const MiB = 1024 * 1024;

/** A dispatcher over a simulated host whose verifier passes every op (the op's path after its checks). */
function relayFor(sim: Sim, op: string, args: Record<string, unknown>) {
  const relay = simRelay(sim);
  const verifier = {
    verify: async (id: string) => ({ ok: true as const, claims: { id, op, args, sub: "admin", host: "test", role: "owner", grants: ALL_GRANTS } }),
  } as unknown as OpVerifier;
  const d = new Dispatcher({ ...relay.runtime, verifier, policy: { readOnly: false, deny: [] }, log: quiet, onStarted: () => {} });
  return { d, relay };
}

const frameBytes = (f: ResultFrame) => Buffer.byteLength(JSON.stringify(f));

describe("how much a change prints never changes how it ends", () => {
  let sim: Sim;
  afterEach(() => sim?.cleanup());

  for (const mib of [2, 20]) {
    it(`a rebuild printing ${mib} MiB ends ok with its exit status, in a bounded result frame and in history`, async () => {
      sim = makeSim();
      sim.faults({ "ps:rebuild": { printBytes: mib * MiB } });
      const { d, relay } = relayFor(sim, "apps.rebuild", { app: "api" });
      const frame = await d.handle(crypto.randomUUID(), "jws");
      expect(resultFrame.parse(frame)).toMatchObject({ ok: true });
      expect(frameBytes(frame)).toBeLessThan(MAX_FRAME_BYTES);
      const output = (frame as Extract<ResultFrame, { ok: true }>).result as { output: string };
      expect(output.output.length).toBeLessThanOrEqual(RESULT_OUTPUT_CHARS + 100);
      // the end of the deploy is what the result keeps, after a marker saying how much came before
      expect(output.output).toMatch(/^\[… [\d,]+ characters not kept …\]\n/);
      expect(output.output).toContain("Shutting down old containers");
      // the rebuild's own command (the release's snapshot reads follow it)
      const row = relay.history.list(50, 0).entries.find((e) => e.argv[1] === "ps:rebuild");
      expect(row).toMatchObject({ op: "apps.rebuild", outcome: "ok", exitCode: 0 });
      const entry = relay.history.entry(row!.id)!;
      expect(entry.stdout.length).toBeLessThanOrEqual(HISTORY_OUTPUT_CAP + 100);
      expect(entry.stdout).toContain("characters not kept");
      expect(entry.stdout).toContain("Shutting down old containers");
    }, 60_000);
  }

  it("a failing change that printed 20 MiB ends with its real exit status and Dokku's message", async () => {
    sim = makeSim();
    sim.faults({ "ps:rebuild": { printBytes: 20 * MiB, exitCode: 3, stderr: " !     build failed at the very end" } });
    const { d, relay } = relayFor(sim, "apps.rebuild", { app: "api" });
    const frame = await d.handle(crypto.randomUUID(), "jws");
    expect(frame).toMatchObject({ ok: false, error: { code: "dokku_error", message: "build failed at the very end" } });
    expect(relay.history.list(1, 0).entries[0]).toMatchObject({ outcome: "error", exitCode: 3 });
  }, 60_000);

  it("a read whose answer would pass the frame cap answers too_large instead of a frame the edge refuses", () => {
    const id = crypto.randomUUID();
    const huge: ResultFrame = { type: "result", id, ok: true, result: { vars: { BIG: "x".repeat(MAX_FRAME_BYTES) } } };
    const fitted = fitFrame(huge);
    expect(fitted).toMatchObject({ id, ok: false, error: { code: "too_large" } });
    expect(frameBytes(fitted)).toBeLessThan(4096);
    const small: ResultFrame = { type: "result", id, ok: true, result: { vars: { A: "1" } } };
    expect(fitFrame(small)).toBe(small);
  });

  it("a parsed read that prints more than it may take in fails saying so; a text read keeps its end", async () => {
    sim = makeSim();
    sim.faults({ "config:export": { printBytes: 9 * MiB }, "logs:failed": { printBytes: 9 * MiB } });
    const parsed = await relayFor(sim, "config.get", { app: "api" }).d.handle(crypto.randomUUID(), "jws");
    expect(parsed).toMatchObject({ ok: false, error: { code: "too_large" } });
    const text = await relayFor(sim, "logs.failed", { app: "api" }).d.handle(crypto.randomUUID(), "jws");
    expect(text).toMatchObject({ ok: true });
    expect(frameBytes(text)).toBeLessThan(MAX_FRAME_BYTES);
  }, 60_000);
});
