import { dirname, join } from "node:path";
import { changeOpNames, type OpName, type OpResult } from "../../protocol/ops.js";
import type { HealthSource } from "../../relay/catalog/types.js";
import { openDb } from "../../relay/history/db/open.js";
import { History } from "../../relay/history/store.js";
import { JobRegistry } from "../../relay/ops/jobs.js";
import type { ByteLinks } from "../../relay/ops/byte-links.js";
import { ProcessLimiter } from "../../relay/ops/limiter.js";
import { opContext, runEntry, type RelayRuntime } from "../../relay/ops/op-context.js";
import { run, type RunResult } from "../../relay/process/run.js";
import { SIMULATOR, type Sim } from "./sim.js";

/**
 * A stand-in relay for catalog tests. Ops run through the relay's own code (relay/ops/op-context.ts):
 * the same argument and result schemas, history rows, redaction and live line splitting; only the
 * commands run elsewhere (the Dokku simulator, or canned answers). It keeps each argv it ran and
 * each live chunk it sent.
 */
export interface TestRelay {
  runtime: RelayRuntime;
  history: History;
  argvs: string[][];
  /** What each command got on stdin ("" when nothing), in the order of `argvs`. */
  stdins: string[];
  chunks: string[];
  signal: AbortSignal;
}

export interface TestRelayOptions {
  /** The Dokku version the ops believe they talk to (null: unknown, text output). */
  dokkuVersion?: string | null;
  /** Aborting it cancels the op, as a viewer leaving does. */
  signal?: AbortSignal;
  /** The history to record into (default: a fresh in-memory one). */
  history?: History;
  health?: HealthSource;
  /** Start the relay allowing docker options that break the host's isolation. */
  allowIsolationBreaking?: boolean;
  /** Image releases per app whose image is kept (default 5). */
  keptImages?: number;
  /** Where the ops' byte streams go (a dump; test/support/byte-edge.ts). */
  bytes?: ByteLinks;
}

function testRelay(exec: typeof run, dokkuVersion: string | null, env: NodeJS.ProcessEnv | undefined, opts: TestRelayOptions): TestRelay {
  const history = opts.history ?? new History(openDb(":memory:"), { maxRows: 10_000, maxAgeDays: 30 }, () => changeOpNames);
  const argvs: string[][] = [];
  const stdins: string[] = [];
  const chunks: string[] = [];
  const runtime: RelayRuntime = {
    history,
    host: "test",
    dokkuBin: SIMULATOR,
    ...(env ? { dokkuEnv: env } : {}),
    dokkuVersion,
    ...(opts.allowIsolationBreaking ? { allowIsolationBreaking: true } : {}),
    ...(opts.health ? { health: opts.health } : {}),
    ...(opts.bytes ? { bytes: opts.bytes } : {}),
    sendChunk: (_id, _stream, data) => chunks.push(data),
    jobs: new JobRegistry(),
    limiter: new ProcessLimiter(8, 2),
    exec: (bin, argv, o) => {
      argvs.push([...argv]);
      stdins.push(typeof o.stdin === "object" ? "[stream]" : (o.stdin ?? ""));
      return exec(bin, argv, o);
    },
  };
  return { runtime, history, argvs, stdins, chunks, signal: opts.signal ?? new AbortController().signal };
}

/** A relay over a simulated host; `timeoutMs` replaces every op's own timeout (to test timeouts quickly). */
export function simRelay(sim: Sim, opts: TestRelayOptions & { timeoutMs?: number } = {}): TestRelay {
  const exec: typeof run = (bin, argv, o) => run(bin, argv, { ...o, timeoutMs: opts.timeoutMs ?? o.timeoutMs });
  const relay = testRelay(exec, opts.dokkuVersion === undefined ? sim.version : opts.dokkuVersion, sim.env, opts);
  // the simulator's docker beside its dokku, for the relay's image commands (relay/catalog/kept-images.ts)
  relay.runtime.dockerBin = join(dirname(SIMULATOR), "docker");
  if (opts.keptImages !== undefined) relay.runtime.keptImages = opts.keptImages;
  return relay;
}

/**
 * The two Dokku families the relay reads (0.35 and 0.38), each with its version known to the relay
 * (it asks for JSON where the version has it) and unknown (it reads the text layout).
 */
export const FAMILIES_KNOWN_OR_NOT = [
  ["0.35.20", true],
  ["0.38.27", true],
  ["0.35.20", false],
  ["0.38.27", false],
] as const;

/** A relay over `sim` that knows the host's Dokku version (from its hello), or does not (`known` false: it reads text). */
export const relayKnowing = (sim: Sim, known: boolean): TestRelay => simRelay(sim, known ? {} : { dokkuVersion: null });

/**
 * A relay that runs nothing: each command exits 0 with no output unless `answer` says otherwise.
 * As `run` does, it reads a stdin stream to its end (a dump) and, given `stdoutTo`, writes the
 * answer's stdout there (counted in `stdoutBytes`) instead of keeping it.
 */
export function fakeRelay(answer: (argv: string[]) => Partial<RunResult> = () => ({}), opts: TestRelayOptions = {}): TestRelay {
  const exec: typeof run = async (_bin, argv, o) => {
    if (typeof o.stdin === "object") for await (const _ of o.stdin);
    const res: RunResult = { exitCode: 0, stdout: "", stderr: "", durationMs: 1, stopped: null, startedAt: 0, finishedAt: 1, ...answer([...argv]) };
    if (!o.stdoutTo) return res;
    const bytes = Buffer.from(res.stdout);
    if (bytes.length > 0) await new Promise<void>((done, fail) => o.stdoutTo!.write(bytes, (e) => (e ? fail(e) : done())));
    return { ...res, stdout: "", stdoutBytes: bytes.length };
  };
  return testRelay(exec, opts.dokkuVersion === undefined ? "0.35.20" : opts.dokkuVersion, undefined, opts);
}

let opCount = 0;

/** Run one op on a test relay exactly as the dispatcher does once the op is verified. */
export async function runOp<N extends OpName>(relay: TestRelay, op: N, args: unknown): Promise<OpResult<N>> {
  const opId = `00000000-0000-4000-8000-${String(++opCount).padStart(12, "0")}`;
  const r = { opId, op, requestedBy: "test", signal: relay.signal };
  return runEntry(op, args, (parsed) => opContext(relay.runtime, r, parsed));
}
