import { argsErrorMessage, ops, type OpName, type OpParsedArgs, type OpResult } from "../protocol/ops.js";
import { checkArgv } from "./argv-guard.js";
import { catalog } from "./catalog/index.js";
import { OpFailure, type HealthSource, type OpContext } from "./catalog/types.js";
import type { History } from "./history.js";
import { LineStream } from "./line-stream.js";
import { redactArgv, redactForHistory, redactOutput, redactReply } from "./redact.js";
import { run, type RunResult } from "./run.js";

/**
 * What a catalog entry runs in: the OpContext the dispatcher builds for each op, and the steps
 * around the entry. Test doubles build their contexts here too, so they record, redact and stream
 * exactly as the relay does.
 */

/** What every op on one relay shares. */
export interface RelayRuntime {
  history: History;
  /** This relay's host id, stored with each history row. */
  host: string;
  dokkuBin: string;
  dokkuEnv?: NodeJS.ProcessEnv;
  /** The Dokku version detected at start (x.y.z), or null: ops then use text output. */
  dokkuVersion: string | null;
  /** Background server metrics for server.health. */
  health?: HealthSource;
  /** Send a chunk of live output for a streaming op. */
  sendChunk: (id: string, stream: "stdout" | "stderr", data: string) => void;
  /** How a command is started: relay/run.ts's run, unless a test stands in for the host. */
  exec?: typeof run;
}

/** One op being run: its id, its name, who asked, and the signal that stops it. */
export interface OpRun {
  opId: string;
  op: OpName;
  requestedBy: string;
  signal: AbortSignal;
}

/**
 * The OpContext's dokku(): runs `dokku ARGV…` and records it in history as it starts ("running")
 * and when it ends; when the op declares `streams`, sends its output live, cut into whole lines so
 * redaction sees a secret whole; applies the call's redaction to history, live lines and the
 * returned output alike. `app` is stored with the row. argv passes relay/argv-guard.ts first: a
 * value that would read as an option refuses the command before it is recorded or run.
 */
export function recordingDokku(rt: RelayRuntime, r: OpRun, app: string | null): OpContext["dokku"] {
  const exec = rt.exec ?? run;
  const spec = ops[r.op];
  return async (args, call = {}) => {
    const argv = checkArgv(args);
    const redaction = call.redact ?? {};
    const rowId = rt.history.start({
      opId: r.opId,
      host: rt.host,
      op: r.op,
      app,
      argv: ["dokku", ...redactArgv(argv, redaction)],
      requestedBy: r.requestedBy,
      startedAt: Date.now(),
    });
    const live = spec.streams
      ? (["stdout", "stderr"] as const).map(
          (stream) =>
            new LineStream(
              (text) => rt.sendChunk(r.opId, stream, text),
              (t) => redactOutput(call.chunkFilter ? call.chunkFilter(t) : t, redaction),
            ),
        )
      : null;
    const res: RunResult = await exec(rt.dokkuBin, argv, {
      timeoutMs: call.timeoutMs ?? spec.timeoutMs,
      signal: r.signal,
      env: rt.dokkuEnv,
      onChunk: live ? (stream, data) => live[stream === "stdout" ? 0 : 1]!.push(data) : undefined,
      ...(call.keepTail !== undefined ? { keepTail: call.keepTail } : {}),
    });
    live?.forEach((l) => l.flush());
    rt.history.finish(rowId, {
      exitCode: res.exitCode,
      outcome: res.stopped === "timeout" ? "timeout" : res.stopped ? "killed" : res.exitCode === 0 ? "ok" : "error",
      stdout: redactForHistory(res.stdout, redaction),
      stderr: redactForHistory(res.stderr, redaction),
      durationMs: res.durationMs,
      finishedAt: res.finishedAt,
    });
    return redactReply(res, redaction);
  };
}

/** The context one op's catalog entry runs in; `args` are its parsed arguments (their `app` names the history rows). */
export function opContext(rt: RelayRuntime, r: OpRun, args: unknown): OpContext {
  const app = args && typeof args === "object" && "app" in args && typeof args.app === "string" ? args.app : null;
  return {
    history: rt.history,
    signal: r.signal,
    dokkuVersion: rt.dokkuVersion,
    ...(rt.health ? { health: rt.health } : {}),
    dokku: recordingDokku(rt, r, app),
  };
}

/**
 * Run an op's catalog entry: the arguments through the op's schema (bad ones are a bad_request
 * OpFailure and nothing runs), the entry in the context `contextFor` builds from them, and its answer
 * through the op's result schema (a parser returning the wrong shape throws: a relay bug).
 */
export async function runEntry<N extends OpName>(op: N, rawArgs: unknown, contextFor: (args: OpParsedArgs<N>) => OpContext): Promise<OpResult<N>> {
  const spec = ops[op];
  const parsed = spec.args.safeParse(rawArgs);
  if (!parsed.success) throw new OpFailure("bad_request", argsErrorMessage(parsed.error));
  const args = parsed.data as OpParsedArgs<N>;
  // The catalog is keyed by op name; each entry's argument type matches its own schema.
  const entry = catalog[op] as unknown as { run(c: OpContext, a: unknown): Promise<unknown> };
  return spec.result.parse(await entry.run(contextFor(args), args)) as OpResult<N>;
}
