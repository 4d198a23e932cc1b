import { parse } from "dotenv";
import { envKey } from "../../../protocol/names.js";
import { OP_LIMITS } from "../../../protocol/ops.js";

/** One thing wrong with a pasted env block, for the message the user sees ("line 3: …"). */
export interface EnvLineProblem {
  /** 1-based line number; 0 for a problem of the whole text. */
  line: number;
  problem: string;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/;

/**
 * A pasted `.env` block read as dotenv reads it (the `dotenv` package's `parse`): `export ` and
 * comments dropped, quotes removed (`Q="a b"` is `a b`), `\n` expanded in double quotes, quoted
 * values spanning lines, a later line overriding an earlier one. What dotenv accepts but Dokku does
 * not (a key like `my.key`), or what it silently skips (a line that is no assignment and no part of
 * a quoted value), is reported by line number — and never quoted back: a line that is not
 * `KEY=value` may be a piece of a secret (a PEM line ending in `=`).
 */
export function parseEnvLines(text: string): { vars: Record<string, string>; problems: EnvLineProblem[] } {
  const normalized = text.replace(/\r\n?/g, "\n");
  const parsed = parse(normalized);
  const values = Object.values(parsed);
  const lines = normalized.split("\n");
  const lineOf = (key: string) => lines.findIndex((l) => ASSIGNMENT.exec(l)?.[1] === key) + 1;
  const problems: EnvLineProblem[] = [];
  lines.forEach((l, i) => {
    const t = l.trim();
    if (t === "" || t.startsWith("#") || ASSIGNMENT.test(l)) return;
    // a line of a multi-line quoted value (the last one ends with the closing quote, maybe a comment)
    const core = t.replace(/["'`]\s*(#.*)?$/, "");
    if (core !== "" && values.some((v) => v.includes(core))) return;
    problems.push({ line: i + 1, problem: "not a KEY=value line (dotenv skips it)" });
  });
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const k = envKey.safeParse(key);
    if (!k.success) {
      problems.push({ line: lineOf(key), problem: `the text before '=' is not a valid key: ${k.error.issues[0]!.message}` });
      continue;
    }
    if (value.length > OP_LIMITS.configValueLength) {
      problems.push({ line: lineOf(key), problem: `the value of ${key} is longer than 32 KiB` });
      continue;
    }
    vars[key] = value;
  }
  const count = Object.keys(vars).length;
  if (problems.length === 0 && count === 0) problems.push({ line: 0, problem: "no KEY=value lines were given" });
  if (count > OP_LIMITS.configVars) problems.push({ line: 0, problem: `at most ${OP_LIMITS.configVars} variables at once (${count} given)` });
  problems.sort((a, b) => a.line - b.line);
  return { vars, problems };
}
