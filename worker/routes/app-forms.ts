import { z } from "zod";
import { BUILDERS, PORT_SCHEMES, orList, buildDir, buildpackUrl, domainName, envKey, gitRef, gitRemote, portMapping, processType } from "../../protocol/names.js";

/**
 * What the per-app pages accept from the browser, as zod schemas. Anything that does not parse is
 * answered with a 400 naming what was wrong, before any op is sent to the host.
 */

const MAX_VALUE = 32 * 1024;
const MAX_VARS = 100;
const checkbox = z.literal("on").optional();

/**
 * One variable, added or replaced. The value is any text (spaces, quotes, `$`, `=`, unicode).
 * A plain form post (no htmx) sends a textarea's line breaks as CRLF; they are stored as the LF
 * the user typed.
 */
export const setVarForm = z.object({
  key: envKey,
  value: z
    .string()
    .max(MAX_VALUE, "a config value is at most 32 KiB")
    .transform((v) => v.replace(/\r\n/g, "\n")),
  no_restart: checkbox,
});

export const unsetVarForm = z.object({ key: envKey, no_restart: checkbox });

export const revealQuery = z.object({ key: envKey });

export interface EnvLineProblem {
  line: number;
  problem: string;
}

/**
 * `KEY=value` lines as pasted from a .env file: blank lines and `# comments` are skipped, an
 * optional `export ` prefix is allowed, the value is everything after the first `=` exactly as
 * written (no unquoting, so `A="x"` keeps its quotes). Every bad line is reported by number.
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
    if (!k.success) {
      const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      return problems.push({ line, problem: `"${shown}" is not a valid key: ${k.error.issues[0]!.message}` });
    }
    if (value.length > MAX_VALUE) return problems.push({ line, problem: `the value of ${key} is longer than 32 KiB` });
    const before = seen.get(key);
    if (before !== undefined) return problems.push({ line, problem: `${key} is already set on line ${before}` });
    seen.set(key, line);
    vars[key] = value;
  });
  const count = Object.keys(vars).length;
  if (problems.length === 0 && count === 0) problems.push({ line: 0, problem: "no KEY=value lines were given" });
  if (count > MAX_VARS) problems.push({ line: 0, problem: `at most ${MAX_VARS} variables at once (${count} given)` });
  return { vars, problems };
}

/** The paste box: the lines parsed into variables, or one issue per bad line ("line 3: …"). */
export const bulkVarsForm = z.object({
  lines: z
    .string()
    .max(MAX_VARS * (MAX_VALUE + 300), "the pasted text is too long")
    .transform((text, ctx) => {
      const { vars, problems } = parseEnvLines(text);
      for (const p of problems) {
        ctx.addIssue({ code: "custom", message: p.line > 0 ? `line ${p.line}: ${p.problem}` : p.problem, path: p.line > 0 ? ["lines", p.line] : ["lines"] });
      }
      return vars;
    }),
  no_restart: checkbox,
});

export const domainForm = z.object({
  domain: z.string().trim().toLowerCase().pipe(domainName),
});

const portNumber = z.coerce
  .number({ error: "a port is a whole number from 1 to 65535" })
  .int("a port is a whole number from 1 to 65535")
  .min(1, "a port is a whole number from 1 to 65535")
  .max(65535, "a port is a whole number from 1 to 65535");

/** A new mapping from its three fields, as Dokku's `scheme:host-port:container-port`. */
export const addPortForm = z
  .object({
    scheme: z.enum(PORT_SCHEMES, { error: `the scheme is ${orList(PORT_SCHEMES)}` }),
    host_port: portNumber,
    container_port: portNumber,
  })
  .transform((f) => ({ mapping: `${f.scheme}:${f.host_port}:${f.container_port}` }));

export const removePortForm = z.object({ mapping: portMapping });

/** An optional text field: trimmed, and empty means "unset" (back to the default). */
const optionalText = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(schema.optional());

/** git:sync's form: a repository and, optionally, what to check out (empty means the deploy branch). */
export const syncForm = z.object({
  remote: z.string().trim().pipe(gitRemote),
  ref: optionalText(gitRef),
});

export const branchForm = z.object({ branch: optionalText(gitRef) });
export const builderForm = z.object({
  builder: optionalText(z.enum(BUILDERS, { error: `the builder is one of ${BUILDERS.join(", ")}, or empty to auto-detect` })),
});
export const buildDirForm = z.object({ build_dir: optionalText(buildDir) });

const POSITION = "the position is a whole number from 1 to 100";
export const addBuildpackForm = z.object({
  url: z.string().trim().pipe(buildpackUrl),
  index: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : undefined))
    .pipe(z.number(POSITION).int(POSITION).min(1, POSITION).max(100, POSITION).optional()),
});
export const removeBuildpackForm = z.object({ url: buildpackUrl });

export const checksForm = z.object({ state: z.enum(["enabled", "disabled", "skipped"], { error: "state is enabled, disabled or skipped" }) });

export const destroyForm = z.object({ confirm: z.string().max(63, "the confirmation is at most 63 characters") });

export const emailForm = z.object({
  email: z.string().trim().pipe(z.email("give an e-mail address, e.g. ops@example.com").max(254)),
});

const quantity = z
  .string()
  .regex(/^\d{1,3}$/, "a count is a whole number from 0 to 100")
  .transform(Number)
  .pipe(z.number().int().min(0).max(100, "a count is a whole number from 0 to 100"));

/** `scale.<type>` fields, one per process type: every type at once. */
export const scaleForm = z
  .record(z.string(), z.string())
  .transform((fields) => Object.entries(fields).filter(([k]) => k.startsWith("scale.")).map(([k, v]) => [k.slice(6), v] as const))
  .pipe(
    z
      .array(z.tuple([processType, quantity]))
      .min(1, "give a count for at least one process type")
      .max(20, "at most 20 process types")
      .transform((pairs) => Object.fromEntries(pairs) as Record<string, number>),
  );

export const logsQuery = z.object({
  lines: z.enum(["100", "500", "1000"], "lines is 100, 500 or 1000").default("100").transform(Number),
  process: z.union([z.literal(""), processType]).default(""),
  state: z.enum(["live", "paused"]).default("live"),
});

/** Zod's messages, one per line, for a 400 the user can act on. */
export function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 30)
    .map((i) => {
      const field = typeof i.path[0] === "string" && i.path[0] !== "lines" ? `${i.path[0]}: ` : "";
      const msg = i.message.length > 300 ? `${i.message.slice(0, 300)}…` : i.message;
      return `${field}${msg}`;
    })
    .join("\n");
}
