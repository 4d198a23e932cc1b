import { appOf, argsErrorMessage, changeTitle, ops, type OpName, type OpParsedArgs, type OpResult } from "../../protocol/ops.js";
import { checkArgv } from "../process/argv-guard.js";
import { catalog } from "../catalog/index.js";
import { withRelease } from "../releases/record.js";
import { type HealthSource, type OpContext } from "../catalog/types.js";
import { OpFailure } from "../dokku/failure.js";
import type { History } from "../history/store.js";
import type { Job, JobRegistry } from "./jobs.js";
import type { ProcessLimiter } from "./limiter.js";
import type { ByteLinks } from "./byte-links.js";
import { LatestLines, LineStream } from "../process/line-stream.js";
import { commandMarker } from "../process/orphans.js";
import { redactArgv, redactForHistory, redactOutput, redactReply } from "../process/redact.js";
import { run, RUN_OUTPUT_CAP, type Keep, type RunResult } from "../process/run.js";
import { keepNewest, RESULT_OUTPUT_CHARS, RESULT_WARNING_CHARS } from "../../protocol/output-bound.js";
import { commandOutput } from "../../protocol/ops/spec.js";

/**
 * What a command whose output is for people (a change's, logs:failed's) keeps of each stream in
 * memory: its start and its end (history keeps part of each, the result the end). Whatever it
 * prints past that is counted and dropped, never a reason to stop it.
 */
export const CHANGE_KEEP: Keep = { head: 256 * 1024, tail: 256 * 1024 };
import { renderTerminal } from "../process/terminal.js";

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
  /**
   * The `docker` the relay runs its few fixed image commands with (keeping a release's image:
   * relay/catalog/kept-images.ts), or absent/null when the host has none to find.
   */
  dockerBin?: string | null;
  /** How many image releases per app keep their image (relay/releases/kept.ts); 5 when absent. */
  keptImages?: number;
  /** The Dokku version detected at start (x.y.z), or null: ops then use text output. */
  dokkuVersion: string | null;
  /** Docker options that break the host's isolation may run (the relay's --allow-isolation-breaking); false when absent. */
  allowIsolationBreaking?: boolean;
  /** Background server metrics for server.health. */
  health?: HealthSource;
  /**
   * Send a chunk of live output: a streaming read's (no seq; `skipped` lines it left out before
   * it), or a change's, numbered by its offset in the change's output (`seq`) and, for a replay to
   * one viewer, tagged.
   */
  sendChunk: (id: string, stream: "stdout" | "stderr", data: string, seq?: number, tag?: string, skipped?: number) => void;
  /** Bytes waiting in the link's send buffer (a live read keeps only its newest lines while it is high). */
  linkBacklog?: () => number;
  /** The changes running now (one per app); a change's output is kept there for late viewers. */
  jobs: JobRegistry;
  /** How many `dokku` processes may run at once. */
  limiter: ProcessLimiter;
  /** How a command is started: relay/process/run.ts's run, unless a test stands in for the host. */
  exec?: typeof run;
  /** The ops' byte streams over the link (a dump); absent where nothing carries them. */
  bytes?: ByteLinks;
}

/** One op being run: its id, its name, who asked, and the signal that stops it. */
export interface OpRun {
  opId: string;
  op: OpName;
  requestedBy: string;
  signal: AbortSignal;
}

/**
 * Where one command's live lines go: a change's job (kept for late viewers, sent while watched), or
 * a streaming read's viewer (through LatestLines: a burst the link cannot keep up with costs only
 * the newest lines). `flush` sends what is still held, once the command ended.
 */
function liveSink(
  rt: RelayRuntime,
  opId: string,
  job: Job | undefined,
  shown: (text: string) => string,
): { push: (stream: "stdout" | "stderr", text: string) => void; flush: () => void } {
  if (!job) {
    // Only the lines that are sent are rendered and redacted: a burst's dropped lines cost nothing more.
    const out = new LatestLines((stream, data, skipped) => rt.sendChunk(opId, stream, data, undefined, undefined, skipped || undefined), rt.linkBacklog, shown);
    return { push: (stream, text) => out.push(stream, text), flush: () => out.flush() };
  }
  return {
    push: (stream, raw) => {
      const text = shown(raw);
      const piece = job.output.append(stream, text);
      if (job.watchers > 0) rt.sendChunk(opId, stream, text, piece.seq);
    },
    flush: () => {},
  };
}

/** A command that never started: its op was cancelled while it waited for a process slot. */
const cancelledBeforeStart = (): RunResult => {
  const now = Date.now();
  return { exitCode: null, stdout: "", stderr: "", durationMs: 0, stopped: "cancelled", startedAt: now, finishedAt: now };
};

/**
 * The OpContext's dokku(): waits for a process slot (rt.limiter), runs `dokku ARGV…` and records it
 * in history. A change's command is recorded as it starts ("running") and again when it ends, so a
 * relay that dies mid-change leaves a trace; a read is recorded once, when it ends. Output is
 * rendered as a terminal shows it (relay/process/terminal.ts) and the call's redaction is applied to
 * history, live lines and the returned output alike. Live lines, cut whole so redaction sees a
 * secret whole, go to the change's job (every change) or to the viewer (a read that declares
 * `streams`). `app` is stored with the row, and a change's `title` (null for a read). Each command carries a marker in its environment so a
 * restarted relay can find what a dead one left running (relay/process/orphans.ts). argv passes
 * relay/process/argv-guard.ts first: a value that would read as an option refuses the command before it is
 * recorded or run.
 */
export function recordingDokku(
  rt: RelayRuntime,
  r: OpRun,
  app: string | null,
  title: string | null = null,
  program: { name: "dokku" | "docker"; bin: string } = { name: "dokku", bin: rt.dokkuBin },
): OpContext["dokku"] {
  const runCommand = rt.exec ?? run;
  const spec = ops[r.op];
  const job = spec.mutates ? rt.jobs.get(r.opId) : undefined;
  // Output for people (a change's, logs:failed's) keeps its start and end; a parser's is kept whole.
  const text = spec.result === commandOutput;
  return async (args, call = {}) => {
    const argv = checkArgv(args);
    const redaction = call.redact ?? {};
    // what a change records once its command ended is not stopped by a late Cancel (DokkuCall.afterEnd)
    const signal = call.afterEnd ? undefined : r.signal;
    let release: () => void;
    try {
      release = await rt.limiter.acquire(spec.mutates ? "change" : spec.streams || call.stdoutTo ? "live" : "read", signal);
    } catch {
      return cancelledBeforeStart();
    }
    try {
      const row = {
        opId: r.opId,
        host: rt.host,
        op: r.op,
        app,
        argv: [program.name, ...redactArgv(argv, redaction)],
        requestedBy: r.requestedBy,
        startedAt: Date.now(),
        title,
      };
      const rowId = spec.mutates ? rt.history.start(row) : null;
      // Live lines are cut whole (so redaction sees a secret whole), then rendered and redacted.
      const shownLive = call.live !== false && !redaction.withholdOutput && (job !== undefined || spec.streams);
      const sink = shownLive ? liveSink(rt, r.opId, job, (t) => redactOutput(renderTerminal(t), redaction)) : null;
      const live = sink ? (["stdout", "stderr"] as const).map((stream) => new LineStream((text) => sink.push(stream, text))) : null;
      const res: RunResult = await runCommand(program.bin, argv, {
        timeoutMs: call.timeoutMs ?? spec.timeoutMs,
        signal,
        env: { ...(rt.dokkuEnv ?? process.env), ...commandMarker(r.opId) },
        onChunk: live ? (stream, data) => live[stream === "stdout" ? 0 : 1]!.push(data) : undefined,
        ...(call.keepTail !== undefined ? { keepTail: call.keepTail } : text ? { keep: CHANGE_KEEP } : {}),
        ...(call.stdin !== undefined ? { stdin: call.stdin } : {}),
        ...(call.stdoutTo ? { stdoutTo: call.stdoutTo } : {}),
      });
      live?.forEach((l) => l.flush());
      sink?.flush();
      const ended = {
        exitCode: res.exitCode,
        outcome: res.stopped === "timeout" ? "timeout" : res.stopped === "cancelled" ? "cancelled" : res.exitCode === 0 ? "ok" : "error",
        stdout: call.summary ? call.summary(res.stdoutBytes ?? 0) : redactForHistory(renderTerminal(res.stdout), redaction),
        stderr: redactForHistory(renderTerminal(res.stderr), redaction),
        durationMs: res.durationMs,
        finishedAt: res.finishedAt,
      } as const;
      if (rowId !== null) rt.history.finish(rowId, ended);
      else rt.history.record({ ...row, ...ended });
      // A parsed read needs its output whole: one that printed past RUN_OUTPUT_CAP fails, saying so.
      if (!text && call.keepTail === undefined && (res.droppedChars ?? 0) > 0) {
        throw new OpFailure(
          "too_large",
          `${program.name} ${argv[0] ?? ""} printed more than the ${RUN_OUTPUT_CAP / 1024 / 1024} MiB a read takes in; its output is not shown`,
        );
      }
      // A change's output is for people (rendered); a read's is for its parser (as printed).
      const shown = spec.mutates ? { ...res, stdout: renderTerminal(res.stdout), stderr: renderTerminal(res.stderr) } : res;
      return redactReply(shown, redaction);
    } finally {
      release();
    }
  };
}

/**
 * The context one op's catalog entry runs in; `args` are its parsed arguments (their `app` names the
 * history rows; a change's rows keep its title, made from them as the running bar shows it).
 */
export function opContext(rt: RelayRuntime, r: OpRun, args: unknown): OpContext {
  const app = appOf(args);
  const title = ops[r.op].mutates ? changeTitle(r.op, app, args) : null;
  return {
    history: rt.history,
    signal: r.signal,
    dokkuVersion: rt.dokkuVersion,
    allowIsolationBreaking: rt.allowIsolationBreaking === true,
    ...(rt.health ? { health: rt.health } : {}),
    dokku: recordingDokku(rt, r, app, title),
    ...(rt.dockerBin ? { docker: recordingDokku(rt, r, app, title, { name: "docker", bin: rt.dockerBin }) } : {}),
    keptImages: rt.keptImages ?? 5,
    runningChanges: () => rt.jobs.list(),
    run: { opId: r.opId, op: r.op, requestedBy: r.requestedBy },
    bytesOut: () => byteLinks(rt).sender(r.opId),
    bytesIn: (max) => byteLinks(rt).receiver(r.opId, max),
  };
}

function byteLinks(rt: RelayRuntime): ByteLinks {
  if (!rt.bytes) throw new OpFailure("unavailable", "this relay carries no byte streams");
  return rt.bytes;
}

/**
 * An op's arguments through its schema, once: the parsed (defaulted, transformed) arguments, or a
 * bad_request OpFailure saying what was wrong (nothing has run).
 */
export function parseOpArgs<N extends OpName>(op: N, rawArgs: unknown): OpParsedArgs<N> {
  const parsed = ops[op].args.safeParse(rawArgs);
  if (!parsed.success) throw new OpFailure("bad_request", argsErrorMessage(parsed.error));
  return parsed.data as OpParsedArgs<N>;
}

/**
 * Run an op's catalog entry on arguments `parseOpArgs` already checked, in the context `contextFor`
 * builds from them, and its answer through the op's result schema (a parser returning the wrong
 * shape throws: a relay bug).
 */
export async function runParsed<N extends OpName>(op: N, args: OpParsedArgs<N>, contextFor: (args: OpParsedArgs<N>) => OpContext): Promise<OpResult<N>> {
  const spec = ops[op];
  // The catalog is keyed by op name; each entry's argument type matches its own schema.
  const entry = catalog[op] as unknown as { run(c: OpContext, a: unknown): Promise<unknown> };
  const ctx = contextFor(args);
  // A change that deploys records a release when it ends, whatever its outcome (relay/releases/record.ts).
  const answer = spec.mutates && spec.deploys ? await withRelease(ctx, args, () => entry.run(ctx, args)) : await entry.run(ctx, args);
  return spec.result.parse(spec.result === commandOutput ? boundCommandOutput(answer) : answer) as OpResult<N>;
}

/** `parseOpArgs` then `runParsed`: an op from raw arguments (tests, and callers with no parsed arguments yet). */
export async function runEntry<N extends OpName>(op: N, rawArgs: unknown, contextFor: (args: OpParsedArgs<N>) => OpContext): Promise<OpResult<N>> {
  return runParsed(op, parseOpArgs(op, rawArgs), contextFor);
}

/**
 * A command's output as its result carries it: the newest RESULT_OUTPUT_CHARS (its viewers saw it
 * all live; its page and history keep more), so the result frame is bounded whatever it printed.
 */
function boundCommandOutput(answer: unknown): unknown {
  if (typeof answer !== "object" || answer === null) return answer;
  const { output, warning } = answer as { output?: unknown; warning?: unknown };
  return {
    ...answer,
    ...(typeof output === "string" ? { output: keepNewest(output, RESULT_OUTPUT_CHARS) } : {}),
    ...(typeof warning === "string" ? { warning: keepNewest(warning, RESULT_WARNING_CHARS) } : {}),
  };
}
