import { z } from "zod";
import { commandResult, failIfFailed, OpFailure, type CatalogEntry } from "./types.js";

/**
 * Config values are secrets. They travel to Dokku base64-encoded (`config:set --encoded`), each
 * K=V as ONE argv element, so spaces, quotes, `$`, newlines, NUL and unicode survive untouched.
 * History never sees them: argv is masked to `KEY=***` and output is redacted.
 */

export const MASK = "***";
const WITHHELD = "[config values withheld]";

/** Mask a `KEY=VALUE` argv element to `KEY=***`; leave anything else alone. */
export function maskPair(arg: string): string | null {
  const eq = arg.indexOf("=");
  return eq > 0 ? `${arg.slice(0, eq)}=${MASK}` : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Remove secret values from Dokku's output: the `       KEY:  value` lines config:set prints for
 * the given keys, and any later appearance of a value (or of one line of a multi-line value) long
 * enough to be recognisable.
 */
export function redactConfig(text: string, vars: Record<string, string>): string {
  let out = text;
  const keys = Object.keys(vars);
  if (keys.length > 0) {
    const keyRe = new RegExp(`^(\\s*(?:${keys.map(escapeRe).join("|")}):)[^\\n]*$`, "gm");
    out = out.replace(keyRe, `$1  ${MASK}`);
  }
  const needles = new Set<string>();
  for (const v of Object.values(vars)) {
    for (const piece of [v, v.trim(), ...v.split(/\r?\n/).map((l) => l.trim())]) if (piece.length >= 4) needles.add(piece);
    const b64 = Buffer.from(v, "utf8").toString("base64");
    if (b64.length >= 4) needles.add(b64);
  }
  for (const n of [...needles].sort((a, b) => b.length - a.length)) out = out.split(n).join(MASK);
  return out;
}

const exported = z.record(z.string(), z.string());

/** `config:export APP --format json` (never config:show, whose layout breaks on newlines). */
export const configGet: CatalogEntry<"config.get"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["config:export", app, "--format", "json"], {
      redactOutput: (t) => (t.trim() ? WITHHELD : t),
    });
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
    const head = ["config:set", "--encoded", ...(noRestart ? ["--no-restart"] : []), app];
    const res = await ctx.dokku([...head, ...pairs], {
      stream: true,
      secretArgs: (arg, i) => (i >= head.length ? maskPair(arg) : null),
      redactOutput: (t) => redactConfig(t, vars),
    });
    return commandResult(res, app);
  },
};

export const configUnset: CatalogEntry<"config.unset"> = {
  async run(ctx, { app, keys, noRestart }) {
    const argv = ["config:unset", ...(noRestart ? ["--no-restart"] : []), app, ...keys];
    return commandResult(await ctx.dokku(argv, { stream: true }), app);
  },
};
