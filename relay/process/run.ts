import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import type { Readable, Writable } from "node:stream";
import { droppedMarker } from "../../protocol/output-bound.js";
import { killTree } from "./process-tree.js";

/**
 * Most characters of one stream a command's result keeps by default (a read's parser needs its
 * output whole: past this the read fails, relay/ops/op-context.ts). What a command prints never
 * stops it: past what is kept, output is counted and dropped.
 */
export const RUN_OUTPUT_CAP = 8 * 1024 * 1024;

/** What one stream keeps: its first `head` characters and its newest `tail` (the rest is counted, then dropped). */
export interface Keep {
  head: number;
  tail: number;
}

export interface RunOptions {
  timeoutMs: number;
  /** Aborting stops the command (the viewer left, the relay is shutting down). */
  signal?: AbortSignal;
  /** Called with each piece of output as it arrives, for ops that stream. */
  onChunk?: (stream: "stdout" | "stderr", data: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * For long streams (logs -t): keep only the last `keepTail` characters of each stream instead of
   * everything. Memory stays bounded however long it runs.
   */
  keepTail?: number;
  /**
   * Keep the first `head` and the newest `tail` characters of each stream, with a marker between
   * them saying how many were dropped (a change: its start and its end). Default: the first
   * RUN_OUTPUT_CAP characters. Ignored with keepTail.
   */
  keep?: Keep;
  /** Called once the program started, with its pid (history records it, so a relay that died can find it). */
  onSpawn?: (pid: number) => void;
  /**
   * Written to the program's stdin, which is then closed (a secret a command reads with
   * `--password-stdin`: never in argv, where `ps` and history would show it), or a stream piped
   * into it as the program takes it (a dump). Default: stdin closed empty.
   */
  stdin?: string | Readable;
  /**
   * The program's stdout is bytes, not text (a dump): piped into this as the sink takes them (a
   * sink that holds back holds the program back), counted in `stdoutBytes`, never kept. A sink
   * that fails stops the program ("cancelled").
   */
  stdoutTo?: Writable;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why the command did not finish by itself, if it did not (its size never stops it). */
  stopped: "timeout" | "cancelled" | null;
  startedAt: number;
  finishedAt: number;
  /**
   * Characters of stdout and stderr printed but not kept (keepTail: from the front; otherwise where
   * the stream's droppedMarker stands). Absent or 0: the output is whole.
   */
  droppedChars?: number;
  /** With `stdoutTo`: the bytes the program wrote to stdout (all given to the sink). */
  stdoutBytes?: number;
}

/**
 * Bytes of a pipe read decoded at a time. A read is up to 64 KiB; decoded whole, a read holding one
 * character outside Latin-1 becomes a two-byte string over 128 KiB, which V8 puts straight into the
 * old generation: a log burst then piled up garbage there until a full collection.
 */
const DECODE_BYTES = 16 * 1024;

/**
 * Collects one stream: its first `head` characters, then a bounded tail of the newest `tail`
 * characters; anything between is counted and dropped. The tail is kept as the pieces that came,
 * dropping whole pieces from the front, never joined until the end: joining a tail on the way would
 * make a string too large for V8's young generation each time (over 128 KiB goes straight to the
 * old one), which a long `dokku logs -t` burst piled up as garbage.
 */
class Collector {
  private readonly first: string[] = [];
  private firstSize = 0;
  private parts: string[] = [];
  private head = 0;
  private size = 0;
  dropped = 0;
  constructor(
    private readonly keep: Keep,
    /** Put droppedMarker where output was dropped (a tail-only stream says it in droppedChars). */
    private readonly mark: boolean,
  ) {}

  push(s: string): void {
    if (this.firstSize < this.keep.head) {
      const take = s.slice(0, this.keep.head - this.firstSize);
      this.first.push(take);
      this.firstSize += take.length;
      s = s.slice(take.length);
      if (!s) return;
    }
    if (this.keep.tail === 0) {
      this.dropped += s.length;
      return;
    }
    this.parts.push(s);
    this.size += s.length;
    // keep at least the newest `tail` characters: drop whole pieces while the rest still holds them
    while (this.parts.length - this.head > 1 && this.size - this.parts[this.head]!.length >= this.keep.tail) {
      const first = this.parts[this.head]!;
      this.parts[this.head++] = "";
      this.size -= first.length;
      this.dropped += first.length;
    }
    if (this.head > 1024 && this.head * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
  }

  text(): string {
    let tail = this.parts.slice(this.head).join("");
    if (tail.length > this.keep.tail) {
      this.dropped += tail.length - this.keep.tail;
      tail = tail.slice(tail.length - this.keep.tail);
    }
    const gap = this.mark && this.dropped > 0 ? (tail ? `\n${droppedMarker(this.dropped)}\n` : `\n${droppedMarker(this.dropped)}`) : "";
    return this.first.join("") + gap + tail;
  }
}

/**
 * Run one program with an argv array (spawn, never a shell), so no argument is ever interpreted as
 * anything but itself. A timeout or an abort ends the child and everything it started.
 */
export function run(file: string, argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let stopped: RunResult["stopped"] = null;
    let settled = false;
    const keep = opts.keepTail !== undefined ? { head: 0, tail: opts.keepTail } : (opts.keep ?? { head: RUN_OUTPUT_CAP, tail: 0 });
    const mark = opts.keepTail === undefined;
    const out = new Collector(keep, mark);
    const err = new Collector(keep, mark);
    let stdoutBytes = 0;
    let killTimer: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => stop("cancelled");

    const finish = (exitCode: number | null, extraErr = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      const finishedAt = Date.now();
      const stdout = out.text();
      const stderr = err.text() + extraErr;
      resolve({
        exitCode,
        stdout,
        stderr,
        durationMs: finishedAt - startedAt,
        stopped,
        startedAt,
        finishedAt,
        droppedChars: out.dropped + err.dropped,
        ...(opts.stdoutTo ? { stdoutBytes } : {}),
      });
    };

    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(file, [...argv], { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], shell: false });
    } catch (e) {
      // e.g. an argument holding a NUL byte: nothing was started
      finish(127, `could not run ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    // a program that exits without reading all its stdin is not an error of ours: EPIPE is ignored
    child.stdin.on("error", () => {});
    if (typeof opts.stdin === "object") {
      opts.stdin.on("error", () => stop("cancelled"));
      opts.stdin.pipe(child.stdin);
    } else child.stdin.end(opts.stdin ?? "");
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);

    function killAll(sig: NodeJS.Signals) {
      if (child?.pid !== undefined) killTree(child.pid, sig);
    }
    function stop(why: "timeout" | "cancelled") {
      if (settled || stopped) return;
      stopped = why;
      // a sink that holds stdout back would keep the pipe (and so this run) open: what is left is dropped
      if (opts.stdoutTo) child.stdout.unpipe(opts.stdoutTo).resume();
      killAll("SIGTERM");
      killTimer = setTimeout(() => killAll("SIGKILL"), 3000);
      killTimer.unref();
    }

    const sink = opts.stdoutTo;
    if (sink) {
      child.stdout.on("data", (buf: Buffer) => void (stdoutBytes += buf.length));
      sink.on("error", () => stop("cancelled"));
      // pipe holds the program back while the sink is full; the sink is ended by its owner, after the exit code
      child.stdout.pipe(sink, { end: false });
    }
    for (const [name, stream, collector] of [...(sink ? [] : ([["stdout", child.stdout, out]] as const)), ["stderr", child.stderr, err]] as const) {
      const decoder = new StringDecoder("utf8");
      stream.on("data", (buf: Buffer) => {
        for (let at = 0; at < buf.length && !stopped; at += DECODE_BYTES) {
          const s = decoder.write(buf.subarray(at, at + DECODE_BYTES));
          if (!s) continue;
          collector.push(s);
          opts.onChunk?.(name, s);
        }
      });
      stream.on("end", () => {
        const rest = decoder.end();
        if (rest) collector.push(rest);
      });
    }

    let spawnError: NodeJS.ErrnoException | null = null;
    child.on("error", (e: NodeJS.ErrnoException) => {
      // the program could not be started at all (ENOENT, EACCES)
      spawnError = e;
      finish(127, `could not run ${file}: ${e.code ?? e.message}`);
    });
    child.on("close", (code) => {
      if (spawnError) return;
      finish(code);
    });

    timer = setTimeout(() => stop("timeout"), opts.timeoutMs);
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
