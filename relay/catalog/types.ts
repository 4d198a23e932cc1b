import type { z } from "zod";
import type { ErrorCode } from "../../protocol/frames.js";
import { ops, type OpName } from "../../protocol/ops.js";
import type { History } from "../history.js";
import type { RunResult } from "../run.js";
import { failureMessage } from "../dokku/output.js";

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
}

export interface OpContext {
  /** Run `dokku ARGV…`, record it in history, return what it printed. */
  dokku(argv: string[], call?: DokkuCall): Promise<RunResult>;
  history: History;
  signal: AbortSignal;
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
