import { z } from "zod";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { configRedaction } from "../process/redact.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry } from "./types.js";
import { END_OF_OPTIONS, flag } from "../process/argv-guard.js";

/**
 * Config values are secrets. They travel to Dokku base64-encoded (`config:set --encoded`), each
 * K=V as ONE argv element, so spaces, quotes, `$`, newlines, NUL and unicode survive untouched.
 * History, live output and replies never see them: argv is masked to `KEY=***` and output is
 * redacted (relay/process/redact.ts). The pairs and keys follow `--`, which config's pflag parser honours.
 */

const exported = z.record(z.string(), z.string());

/** `config:export APP --format json` (never config:show, whose layout breaks on newlines). */
export const configGet: CatalogEntry<"config.get"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["config:export", app, flag("--format"), "json"], { redact: { withholdOutput: true } });
    failIfFailed(res, app);
    let vars: Record<string, string>;
    try {
      vars = exported.parse(JSON.parse(res.stdout.trim() || "{}"));
    } catch {
      throw new OpFailure("dokku_error", "config:export did not print a JSON object of strings");
    }
    return { vars };
  },
};

export const configSet: CatalogEntry<"config.set"> = {
  async run(ctx, { app, vars, noRestart }) {
    const pairs = Object.entries(vars).map(([k, v]) => `${k}=${Buffer.from(v, "utf8").toString("base64")}`);
    const head = ["config:set", flag("--encoded"), ...(noRestart ? [flag("--no-restart")] : []), app, END_OF_OPTIONS];
    const res = await ctx.dokku([...head, ...pairs], { redact: configRedaction(vars, head.length) });
    return commandResult(res, app);
  },
};

export const configUnset: CatalogEntry<"config.unset"> = {
  async run(ctx, { app, keys, noRestart }) {
    const argv = ["config:unset", ...(noRestart ? [flag("--no-restart")] : []), app, END_OF_OPTIONS, ...keys];
    return commandResult(await ctx.dokku(argv), app);
  },
};
