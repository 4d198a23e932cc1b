import { envKey } from "../../../protocol/names.js";
import { OP_LIMITS } from "../../../protocol/ops.js";

/** One thing wrong with a pasted env block, for the message the user sees ("line 3: …"). */
export interface EnvLineProblem {
  /** 1-based line number; 0 for a problem of the whole text. */
  line: number;
  problem: string;
}

/**
 * `KEY=value` lines as pasted from a .env file: blank lines and `# comments` are skipped, an
 * optional `export ` prefix is allowed, the value is everything after the first `=` exactly as
 * written (no unquoting, so `A="x"` keeps its quotes). Every bad line is reported by number, and
 * never quoted: a line that is not `KEY=value` may be a piece of a secret (a PEM line ending in `=`).
 */
export function parseEnvLines(text: string): { vars: Record<string, string>; problems: EnvLineProblem[] } {
  const vars: Record<string, string> = {};
  const seen = new Map<string, number>();
  const problems: EnvLineProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (l.trim() === "" || l.trimStart().startsWith("#")) return;
    const body = l.startsWith("export ") ? l.slice(7) : l;
    const eq = body.indexOf("=");
    if (eq < 0) return problems.push({ line, problem: "expected KEY=value" });
    const key = body.slice(0, eq);
    const value = body.slice(eq + 1);
    const k = envKey.safeParse(key);
    if (!k.success) return problems.push({ line, problem: `the text before '=' is not a valid key: ${k.error.issues[0]!.message}` });
    if (value.length > OP_LIMITS.configValueLength) return problems.push({ line, problem: `the value of ${key} is longer than 32 KiB` });
    const before = seen.get(key);
    if (before !== undefined) return problems.push({ line, problem: `${key} is already set on line ${before}` });
    seen.set(key, line);
    vars[key] = value;
  });
  const count = Object.keys(vars).length;
  if (problems.length === 0 && count === 0) problems.push({ line: 0, problem: "no KEY=value lines were given" });
  if (count > OP_LIMITS.configVars) problems.push({ line: 0, problem: `at most ${OP_LIMITS.configVars} variables at once (${count} given)` });
  return { vars, problems };
}
