import { afterAll, describe, expect, it } from "vitest";
import type { OpName } from "../../protocol/ops.js";
import { runOp, simRelay, type TestRelay, type TestRelayOptions } from "./ops.js";
import { makeSim, type Sim } from "./sim.js";

/** A maker of fresh simulated hosts for one test file; they are removed after its tests. */
export function freshSims(): (opts?: Parameters<typeof makeSim>[0]) => Sim {
  const sims: Sim[] = [];
  afterAll(() => sims.forEach((s) => s.cleanup()));
  return (opts) => {
    const s = makeSim(opts);
    sims.push(s);
    return s;
  };
}

/**
 * Every op that runs Dokku, four ways on the simulator: the happy path, a missing app (exit 20, or
 * the plugin's own "service does not exist"), a Dokku failure (` !     ` lines, exit 1) and a command
 * that hangs past its timeout.
 */
export interface Case {
  op: OpName;
  args: Record<string, unknown>;
  /** The Dokku command to break for the error and timeout cases. */
  command: string;
  /** Assertions on the happy path's result (unless `happy` replaces the happy path). */
  check?: (result: any, sim: Sim) => void;
  /** Arguments naming something that does not exist, or null when the op names nothing. */
  missing: Record<string, unknown> | null;
  missingMessage?: RegExp;
  /** The Dokku version the simulated host runs (for commands younger than the default 0.35.20). */
  version?: string;
  /** A custom happy path instead of running `args` once, given the case's relay on the simulated host. */
  happy?: (relay: TestRelay, sim: Sim) => Promise<void>;
  /** The happy path's own time limit (ms), for one that runs many commands (a deploy and its release's reads). */
  happyTimeoutMs?: number;
  /** Options of each case's relay, made afresh for each (a dump's byte streams: test/support/byte-edge.ts). */
  relay?: () => TestRelayOptions;
}

export function defineMatrix(cases: Case[]): void {
  const sim = freshSims();

  // concurrent: each test has its own simulated host; the work is mostly waiting on child processes
  describe.concurrent("ops on the simulator", () => {
    for (const c of cases) {
      it(
        `${c.op}: happy path parses the real output into the typed result`,
        async () => {
          const s = sim({ version: c.version });
          const relay = simRelay(s, c.relay?.());
          if (c.happy) return c.happy(relay, s);
          if (!c.check) throw new Error(`${c.op}: a case needs check or happy`);
          const result = await runOp(relay, c.op, c.args);
          c.check(result, s);
        },
        c.happyTimeoutMs,
      );

      const missing = c.missing;
      if (missing) {
        it(`${c.op}: naming something missing is not_found`, async () => {
          const err = await runOp(simRelay(sim({ version: c.version }), c.relay?.()), c.op, missing).catch((e: unknown) => e);
          expect(err).toMatchObject({ code: "not_found", message: expect.stringMatching(c.missingMessage ?? /^App ghost does not exist$/) });
        });
      }

      it(`${c.op}: a Dokku failure is dokku_error with the \` !     \` lines as message`, async () => {
        const s = sim({ version: c.version });
        s.faults({ [c.command]: { exitCode: 1, stderr: " !     Something broke: disk full\nplain noise" } });
        const err = await runOp(simRelay(s, c.relay?.()), c.op, c.args).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: "dokku_error", message: "Something broke: disk full" });
      });

      it(`${c.op}: a hanging command is a timeout`, async () => {
        const s = sim({ version: c.version });
        s.faults({ [c.command]: { hang: true } });
        const err = await runOp(simRelay(s, { ...c.relay?.(), timeoutMs: 700 }), c.op, c.args).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: "timeout" });
      });
    }
  });
}
