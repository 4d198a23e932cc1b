import { OpFailure } from "./failure.js";
import type { RunResult } from "../process/run.js";
import { renderTerminal } from "../process/terminal.js";

/**
 * Dokku's output conventions: errors and warnings are ` !     ` lines on stderr (dokku_log_fail and
 * dokku_log_warn in plugins/common/functions of dokku/dokku), exit 20 means the app does not exist
 * (verify_app_name there), and an unknown command says "is not a dokku command" (the dokku entry script).
 */

const WARN_PREFIX = /^ !\s{5}/;

/** The ` !     ` lines of a stream, without the prefix: Dokku's own error or warning text. */
export function bangLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => WARN_PREFIX.test(l))
    .map((l) => l.replace(WARN_PREFIX, "").trim());
}

/** The last `n` non-empty lines of a stream, trimmed (ANSI colour removed). */
function lastLines(text: string, n: number): string {
  return renderTerminal(text)
    .split("\n")
    .map((l) => l.replace(/\r$/, "").trimEnd())
    .filter((l) => l.trim() !== "")
    .slice(-n)
    .join("\n")
    .trim();
}

/**
 * The message to show for a failed command: its ` !     ` lines, else its last stderr lines, else
 * the last lines it printed on stdout. Plugins often fail with only an info line on stdout, e.g.
 * dokku-letsencrypt's `-----> Certificate retrieval failed!` after lego's own output
 * (fn-letsencrypt-acme-execute-challenge in its internal-functions): those lines say why.
 */
export function failureMessage(stderr: string, stdout = ""): string {
  const bangs = bangLines(stderr);
  if (bangs.length > 0) return bangs.join("\n");
  const tail = lastLines(stderr, 5);
  if (tail) return tail;
  const outBangs = bangLines(stdout);
  if (outBangs.length > 0) return outBangs.join("\n");
  return lastLines(stdout, 8) || "the command failed without a message";
}

/**
 * Turn a finished Dokku command into a failure when it failed: exit 20 is "app not found",
 * other non-zero exits carry Dokku's ` !     ` lines as the message.
 */
export function failIfFailed(res: RunResult, app?: string): void {
  if (res.stopped === "timeout") throw new OpFailure("timeout", `the command ran past ${Math.round(res.durationMs / 1000)} s and was stopped`);
  if (res.stopped === "cancelled") throw new OpFailure("cancelled", "the command was stopped");
  if (res.exitCode === 20) throw new OpFailure("not_found", app ? `App ${app} does not exist` : failureMessage(res.stderr));
  if (res.exitCode !== 0) throw new OpFailure("dokku_error", failureMessage(res.stderr, res.stdout));
}

/** Dokku's answer to an unknown command (a plugin that is not installed): ` !     `x` is not a dokku command.` */
export function isNotACommand(res: Pick<RunResult, "exitCode" | "stderr">): boolean {
  return res.exitCode === 1 && /is not a dokku command\./.test(res.stderr);
}

/**
 * Every warning Dokku printed while still exiting 0 (e.g. "App x has not been deployed", or
 * logs:failed's "No failed containers found"), one per line; undefined when there were none.
 */
export function warningOf(stderr: string): string | undefined {
  const bangs = bangLines(stderr);
  return bangs.length > 0 ? bangs.join("\n") : undefined;
}

/** A mutating command's result: its output, and Dokku's exit-0 warning if it printed one. */
export function commandResult(res: RunResult, app?: string): { output: string; warning?: string } {
  failIfFailed(res, app);
  const warning = warningOf(res.stderr);
  return warning === undefined ? { output: res.stdout } : { output: res.stdout, warning };
}
