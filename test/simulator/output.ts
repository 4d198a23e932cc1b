/**
 * Dokku's output conventions (dokku_log_* in plugins/common/functions of dokku/dokku): headers and
 * verbose lines on stdout, ` !     ` warnings and failures on stderr, exit 20 for a missing app.
 */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export const out = (line: string): void => void process.stdout.write(`${line}\n`);
export const err = (line: string): void => void process.stderr.write(`${line}\n`);

export const info2 = (msg: string) => out(`=====> ${msg}`);
export const info1 = (msg: string) => out(`-----> ${msg}`);
export const verbose = (msg: string) => out(`       ${msg}`);
export const warn = (msg: string) => err(` !     ${msg}`);

/** dokku_log_fail / LogFail: the message on stderr, then exit (1 unless told otherwise). */
export function fail(msg: string, code = 1): never {
  warn(msg);
  throw new Exit(code);
}

export function appMissing(app: string): never {
  fail(`App ${app} does not exist`, 20);
}

/** Go report layout: key and colon padded to 31 (or the longest key), value unpadded, sorted by flag. */
export function goReport(app: string, kind: string, fields: Array<[flag: string, value: string]>): void {
  info2(`${app} ${kind} information`);
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = sorted.map(([flag, value]) => {
    const key = flag.replace(/[-.]/g, " ");
    return [`${key.charAt(0).toUpperCase()}${key.slice(1)}:`, value] as const;
  });
  const width = Math.max(31, ...rows.map(([k]) => k.length + 1));
  for (const [key, value] of rows) out(`       ${key.padEnd(width)}${value}`);
}

/**
 * A plugin's `:report APP [--format F]` for one app: `kind` names it in the header ("APP KIND
 * information"), `prefix` is what its flags start with (`<prefix>-`), `fields` its flags and
 * values, `atLeast(v)` whether the simulated Dokku is at least version v. Bash and Go plugins lay
 * it out differently, and a plugin moved from one to the other at a version.
 */
export type PluginReport = (
  app: string,
  kind: string,
  prefix: string,
  fields: Array<[flag: string, value: string]>,
  format: string | undefined,
  atLeast: (v: string) => boolean,
) => void;

/**
 * A Go report for one app (apps, ps, builder, buildpacks, ports, …): with `--format json` one
 * object, keys sorted, and from 0.38.8 each `<prefix>-` key also without the prefix; otherwise the
 * text layout.
 */
export const goPluginReport: PluginReport = (app, kind, prefix, fields, format, atLeast) => {
  if (format !== "json") return goReport(app, kind, fields);
  const entries = fields.flatMap(([k, v]) => {
    const stripped = k.startsWith(`${prefix}-`) ? k.slice(prefix.length + 1) : k;
    return atLeast("0.38.8") && stripped !== k ? [[k, v] as const, [stripped, v] as const] : [[k, v] as const];
  });
  out(JSON.stringify(Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)))));
};

/** Bash report layout: `printf "%-30s %-25s"`, map order, trailing spaces after short values. */
export function bashReport(header: string, fields: Array<[flag: string, value: string]>): void {
  info2(header);
  for (const [flag, value] of fields) {
    const key = flag.replace(/-/g, " ");
    out(`       ${`${key.charAt(0).toUpperCase()}${key.slice(1)}:`.padEnd(30)} ${value.padEnd(25)}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Pause between streamed lines, so output arrives over time like a real deploy. */
export const stepMs = () => Number(process.env.DOKKU_SIM_STEP_MS ?? 15);

/**
 * A report implemented in bash through 0.38.21 (domains, certs, git, …): 30-column text with
 * trailing spaces; `--format json` only from 0.38.0 (keys without the plugin prefix, flag-map order),
 * before that `--format` is an unknown info flag. Ported to Go (31 columns, sorted) in 0.38.22.
 */
export const bashPluginReport: PluginReport = (app, kind, prefix, fields, format, atLeast) => {
  if (format !== undefined) {
    if (!atLeast("0.38.0")) fail(`Invalid flag passed, valid flags: ${fields.map(([f]) => `--${f}`).join(" ")}`);
    if (format === "json") {
      const stripped = fields.map(([f, v]) => [f.startsWith(`${prefix}-`) ? f.slice(prefix.length + 1) : f, v] as const);
      return out(JSON.stringify(Object.fromEntries(stripped)));
    }
  }
  if (atLeast("0.38.22")) return goReport(app, kind, fields);
  bashReport(`${app} ${kind} information`, fields);
};
