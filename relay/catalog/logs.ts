import { commandResult, failIfFailed } from "../dokku/output.js";
import { renderTerminal } from "../process/terminal.js";
import type { CatalogEntry } from "./types.js";
import { flag } from "../process/argv-guard.js";

/** What a log stream keeps in memory (per stream) for its result and history, however long it runs. */
export const LOG_TAIL_CHARS = 64 * 1024;
/** Lines returned in the result. */
export const LOG_RESULT_LINES = 1000;

/**
 * `logs APP -n N [-t] [-p TYPE]`: streams to the viewer as it comes; only a capped tail is kept.
 * Cancelling (the viewer left) kills `dokku logs` and the `docker logs -f` it started.
 */
export const logsTail: CatalogEntry<"logs.tail"> = {
  async run(ctx, { app, lines, process, follow }) {
    const argv = ["logs", app, flag("-n"), String(lines), ...(follow ? [flag("-t")] : []), ...(process ? [flag("-p"), process] : [])];
    const res = await ctx.dokku(argv, { keepTail: LOG_TAIL_CHARS });
    failIfFailed(res, app);
    const all = renderTerminal(res.stdout).split("\n");
    if (all.at(-1) === "") all.pop();
    // the first kept line may have been cut in the middle when older output was dropped
    if ((res.droppedChars ?? 0) > 0) all.shift();
    const kept = all.slice(-LOG_RESULT_LINES);
    return { lines: kept, truncated: (res.droppedChars ?? 0) > 0 || all.length > kept.length };
  },
};

/** `logs:failed APP`: the failed deploy's container output; "No failed containers found" is a warning. */
export const logsFailed: CatalogEntry<"logs.failed"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["logs:failed", app]);
    const r = commandResult(res, app);
    return { ...r, output: renderTerminal(r.output) };
  },
};
