import { execFile, type ExecFileException } from "node:child_process";
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
}

/**
 * Run one program with an argv array through execFile: never a shell, so no argument is ever
 * interpreted as anything but itself. A timeout or an abort ends the child and everything it started.
 */
export function run(file: string, argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let stopped: RunResult["stopped"] = null;
    let stdout = "";
    let stderr = "";
    let settled = false;
    const child = execFile(
      file,
      [...argv],
      { maxBuffer: RUN_OUTPUT_CAP, encoding: "utf8", env: opts.env ?? process.env },
      (error: ExecFileException | null, out: string, err: string) => {
        settled = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        opts.signal?.removeEventListener("abort", onAbort);
        stdout = out ?? stdout;
        stderr = err ?? stderr;
        let exitCode: number | null = child.exitCode;
        if (error && "code" in error && error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          stopped = "output_cap";
          killAll("SIGKILL");
        }
        if (error && typeof (error as NodeJS.ErrnoException).code === "string" && exitCode === null && !stopped) {
          // the program could not be started at all (ENOENT, EACCES)
          stderr = `${stderr}${stderr ? "\n" : ""}could not run ${file}: ${(error as NodeJS.ErrnoException).code}`;
          exitCode = 127;
        }
        const finishedAt = Date.now();
        resolve({ exitCode, stdout, stderr, durationMs: finishedAt - startedAt, stopped, startedAt, finishedAt });
      },
    );
    child.stdin?.end();
    if (opts.onChunk) {
      child.stdout?.on("data", (d: string) => opts.onChunk?.("stdout", d));
      child.stderr?.on("data", (d: string) => opts.onChunk?.("stderr", d));
    }

    let killTimer: NodeJS.Timeout | undefined;
    function killAll(sig: NodeJS.Signals) {
      if (child.pid !== undefined) killTree(child.pid, sig);
    }
    function stop(why: "timeout" | "cancelled") {
      if (settled || stopped) return;
      stopped = why;
      killAll("SIGTERM");
      killTimer = setTimeout(() => killAll("SIGKILL"), 3000);
      killTimer.unref();
    }
    const timer = setTimeout(() => stop("timeout"), opts.timeoutMs);
    const onAbort = () => stop("cancelled");
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
