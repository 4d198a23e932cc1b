import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { OpContext } from "../../relay/catalog/types.js";
import { openDb } from "../../relay/db/open.js";
import { History } from "../../relay/history.js";
import { run } from "../../relay/run.js";
import type { Fault } from "../simulator/state.js";

export const SIMULATOR = resolve(import.meta.dirname, "../simulator/dokku");

export interface Sim {
  dir: string;
  /** The Dokku version the simulator imitates. */
  version: string;
  env: NodeJS.ProcessEnv;
  /** Run the simulator directly, as a test would run `dokku`. */
  dokku: (...argv: string[]) => ReturnType<typeof run>;
  faults: (faults: Record<string, Fault>) => void;
  cleanup: () => void;
}

/** A fresh simulated host in a temp directory ("demo" seed unless told otherwise). */
export function makeSim(opts: { seed?: "demo" | "empty"; version?: string } = {}): Sim {
  const dir = mkdtempSync(join(tmpdir(), "docklight-sim-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOKKU_SIM_DIR: dir,
    DOKKU_SIM_SEED: opts.seed ?? "demo",
    DOKKU_SIM_STEP_MS: "0",
    ...(opts.version ? { DOKKU_SIM_VERSION: opts.version } : {}),
  };
  return {
    dir,
    version: opts.version ?? "0.35.20",
    env,
    dokku: (...argv) => run(SIMULATOR, argv, { timeoutMs: 20_000, env }),
    faults: (faults) => writeFileSync(join(dir, "faults.json"), JSON.stringify(faults)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * An OpContext over the simulator and an in-memory history, for testing catalog entries directly.
 * It records history exactly as the dispatcher does (masked argv, redacted output) and keeps the
 * live chunks a streaming op sent.
 */
export function simContext(
  sim: Sim,
  opts: { timeoutMs?: number; dokkuVersion?: string | null; signal?: AbortSignal; history?: History } = {},
): OpContext & { history: History; argvs: string[][]; chunks: string[] } {
  const history = opts.history ?? new History(openDb(":memory:"), { maxRows: 10_000, maxAgeDays: 30 });
  const argvs: string[][] = [];
  const chunks: string[] = [];
  const signal = opts.signal ?? new AbortController().signal;
  return {
    history,
    signal,
    argvs,
    chunks,
    dokkuVersion: opts.dokkuVersion === undefined ? sim.version : opts.dokkuVersion,
    async dokku(argv, call = {}) {
      argvs.push(argv);
      const res = await run(SIMULATOR, argv, {
        timeoutMs: call.timeoutMs ?? opts.timeoutMs ?? 20_000,
        env: sim.env,
        signal,
        onChunk: call.stream ? (_s, d) => chunks.push(call.chunkFilter ? call.chunkFilter(d) : d) : undefined,
        ...(call.keepTail !== undefined ? { keepTail: call.keepTail } : {}),
      });
      history.record({
        opId: "00000000-0000-4000-8000-000000000000",
        host: "test",
        op: "test",
        app: null,
        argv: ["dokku", ...argv.map((a, i) => call.secretArgs?.(a, i) ?? a)],
        exitCode: res.exitCode,
        outcome: res.stopped === "timeout" ? "timeout" : res.stopped ? "killed" : res.exitCode === 0 ? "ok" : "error",
        stdout: (call.redactOutput ?? ((t) => t))(res.stdout),
        stderr: (call.redactOutput ?? ((t) => t))(res.stderr),
        durationMs: res.durationMs,
        requestedBy: "test",
        startedAt: res.startedAt,
        finishedAt: res.finishedAt,
      });
      return res;
    },
  };
}
