import type { z } from "zod";
import type { ErrorCode } from "../../protocol/frames.js";
import { ops, type HealthSample, type OpName } from "../../protocol/ops.js";
import type { History } from "../history.js";
import type { RunResult } from "../run.js";
import { bangLines, failureMessage } from "../dokku/output.js";

/** A typed failure an op reports to the edge; anything else thrown is a relay bug ("internal"). */
export class OpFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DokkuCall {
  /** Parts of argv that must never be stored: replaced by a mask in history. */
  secretArgs?: (arg: string, index: number) => string | null;
  /** Remove secrets from output before it is stored. */
  redactOutput?: (text: string) => string;
  stream?: boolean;
  timeoutMs?: number;
  /** Keep only this many trailing characters of each stream in memory (long streams such as logs -t). */
  keepTail?: number;
  /** Rewrite each live chunk before it is sent to the viewer (e.g. strip ANSI colour). */
  chunkFilter?: (data: string) => string;
}

/** Server metrics the relay samples in the background (relay/health.ts). */
export interface HealthSource {
  now(): Promise<HealthSample>;
  series(): HealthSample[];
}

export interface OpContext {
  /** Run `dokku ARGV…`, record it in history, return what it printed. */
  dokku(argv: string[], call?: DokkuCall): Promise<RunResult>;
  history: History;
  signal: AbortSignal;
  /** The Dokku version detected at start (`dokku version`), x.y.z, or null if unknown. */
  dokkuVersion: string | null;
  /** Background server metrics; absent where the relay samples none (then server.health is unavailable). */
  health?: HealthSource;
}

export interface CatalogEntry<N extends OpName> {
  run(ctx: OpContext, args: z.output<(typeof ops)[N]["args"]>): Promise<z.input<(typeof ops)[N]["result"]>>;
}

export type Catalog = { [N in OpName]: CatalogEntry<N> };

/**
 * Turn a finished Dokku command into a failure when it failed: exit 20 is "app not found",
 * other non-zero exits carry Dokku's ` !     ` lines as the message.
 */
export function failIfFailed(res: RunResult, app?: string): void {
  if (res.stopped === "timeout") throw new OpFailure("timeout", `the command ran past ${Math.round(res.durationMs / 1000)} s and was stopped`);
  if (res.stopped === "cancelled") throw new OpFailure("cancelled", "the command was stopped");
  if (res.stopped === "output_cap") throw new OpFailure("dokku_error", "the command printed more output than the relay keeps and was stopped");
  if (res.exitCode === 20) throw new OpFailure("not_found", app ? `App ${app} does not exist` : failureMessage(res.stderr));
  if (res.exitCode !== 0) throw new OpFailure("dokku_error", failureMessage(res.stderr, res.stdout));
}

/** Whether the detected Dokku version is at least `min` (unknown versions count as old: text output). */
export function versionAtLeast(version: string | null, min: string): boolean {
  if (!version) return false;
  const a = version.split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Dokku's answer to an unknown command (a plugin that is not installed): ` !     `x` is not a dokku command.` */
export function isNotACommand(res: RunResult): boolean {
  return res.exitCode === 1 && /is not a dokku command\./.test(res.stderr);
}

/** The first warning Dokku printed while still exiting 0 (e.g. "App x has not been deployed"). */
export function warningOf(stderr: string): string | undefined {
  return bangLines(stderr)[0];
}

/** A mutating command's result: its output, and Dokku's exit-0 warning if it printed one. */
export function commandResult(res: RunResult, app?: string): { output: string; warning?: string } {
  failIfFailed(res, app);
  const warning = warningOf(res.stderr);
  return warning === undefined ? { output: res.stdout } : { output: res.stdout, warning };
}
