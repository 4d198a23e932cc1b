import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { killTree } from "./process-tree.js";

/** Largest output one command may print on one stream before it is killed. */
export const RUN_OUTPUT_CAP = 8 * 1024 * 1024;

export interface RunOptions {
  timeoutMs: number;
  /** Aborting stops the command (the viewer left, the relay is shutting down). */
  signal?: AbortSignal;
  /** Called with each piece of output as it arrives, for ops that stream. */
  onChunk?: (stream: "stdout" | "stderr", data: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * For long streams (logs -t): keep only the last `keepTail` characters of each stream instead of
   * everything, and never stop the command for its size. Memory stays bounded however long it runs.
   */
  keepTail?: number;
  /** Called once the program started, with its pid (history records it, so a relay that died can find it). */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why the command did not finish by itself, if it did not. */
  stopped: "timeout" | "cancelled" | "output_cap" | null;
  startedAt: number;
  finishedAt: number;
  /** Characters dropped from the front of stdout/stderr in keepTail mode. */
  droppedChars?: number;
}

/**
 * Bytes of a pipe read decoded at a time. A read is up to 64 KiB; decoded whole, a read holding one
 * character outside Latin-1 becomes a two-byte string over 128 KiB, which V8 puts straight into the
 * old generation: a log burst then piled up garbage there until a full collection.
 */
const DECODE_BYTES = 16 * 1024;

/**
 * Collects one stream: everything up to a cap, or only a bounded tail. The tail is kept as the
 * pieces that came, dropping whole pieces from the front, never joined until the end: joining a
 * tail on the way would make a string too large for V8's young generation each time (over
 * 128 KiB goes straight to the old one), which a long `dokku logs -t` burst piled up as garbage.
 */
class Collector {
  private parts: string[] = [];
  private head = 0;
  private size = 0;
  dropped = 0;
  constructor(
    private readonly cap: number,
    private readonly tail: boolean,
  ) {}

  /** Returns false when the cap was passed in full mode. */
  push(s: string): boolean {
    this.parts.push(s);
    this.size += s.length;
    if (this.size <= this.cap) return true;
    if (!this.tail) return false;
    // keep at least the last `cap` characters: drop whole pieces while the rest still holds them
    while (this.parts.length - this.head > 1 && this.size - this.parts[this.head]!.length >= this.cap) {
      const first = this.parts[this.head]!;
      this.parts[this.head++] = "";
      this.size -= first.length;
      this.dropped += first.length;
    }
    if (this.head > 1024 && this.head * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  text(): string {
    const joined = this.parts.slice(this.head).join("");
    if (this.tail && joined.length > this.cap) {
      this.dropped += joined.length - this.cap;
      return joined.slice(joined.length - this.cap);
    }
    return joined;
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
    const tail = opts.keepTail !== undefined;
    const cap = opts.keepTail ?? RUN_OUTPUT_CAP;
    const out = new Collector(cap, tail);
    const err = new Collector(cap, tail);
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
        ...(tail ? { droppedChars: out.dropped + err.dropped } : {}),
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
    child.stdin.end();
    child.stdin.on("error", () => {});
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);

    function killAll(sig: NodeJS.Signals) {
      if (child?.pid !== undefined) killTree(child.pid, sig);
    }
    function stop(why: "timeout" | "cancelled" | "output_cap") {
      if (settled || stopped) return;
      stopped = why;
      killAll(why === "output_cap" ? "SIGKILL" : "SIGTERM");
      killTimer = setTimeout(() => killAll("SIGKILL"), 3000);
      killTimer.unref();
    }

    for (const [name, stream, collector] of [
      ["stdout", child.stdout, out],
      ["stderr", child.stderr, err],
    ] as const) {
      const decoder = new StringDecoder("utf8");
      stream.on("data", (buf: Buffer) => {
        for (let at = 0; at < buf.length && !stopped; at += DECODE_BYTES) {
          const s = decoder.write(buf.subarray(at, at + DECODE_BYTES));
          if (!s) continue;
          if (!collector.push(s)) stop("output_cap");
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
