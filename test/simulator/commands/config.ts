import { endOfOptions, requireApp, takeFormat, type Command } from "../context.js";
import { fail, info1, info2, out, verbose } from "../output.js";
import { readState, updateState } from "../state.js";

/**
 * The Go config plugin: `config:export --format json` (compact, sorted), `config:set [--encoded]
 * [--no-restart] APP [--] K=V…`, `config:unset [--no-restart] APP [--] K…`. pflag takes flags
 * anywhere before `--`.
 */
const KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function sortedEntries(env: Record<string, string>): Array<[string, string]> {
  return Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const q = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;

export const configExport: Command = ({ args }) => {
  const { format = "exports", rest } = takeFormat(args);
  const positional = rest.filter((a) => !a.startsWith("--"));
  const [, app] = requireApp(positional[0]);
  const env = sortedEntries(app.config);
  switch (format) {
    case "json":
      return void process.stdout.write(`${JSON.stringify(Object.fromEntries(env))}\n`);
    case "json-list":
      return void process.stdout.write(`${env.length ? JSON.stringify(env.map(([name, value]) => ({ name, value }))) : "null"}\n`);
    case "exports":
      return void process.stdout.write(env.map(([k, v]) => `export ${k}=${q(v)}`).join("\n") + (env.length ? "\n" : ""));
    case "shell":
      return void process.stdout.write(env.map(([k, v]) => `${k}=${q(v)} `).join(""));
    default:
      fail(`Unknown export format: ${format}`);
  }
};

export const configShow: Command = ({ args }) => {
  const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
  info2(`${name} env vars`);
  const env = sortedEntries(app.config);
  const width = Math.max(0, ...env.map(([k]) => k.length + 1));
  if (env.length === 0) out("");
  for (const [k, v] of env) out(`${`${k}:`.padEnd(width)}  ${v.trim()}`);
};

function restart(name: string, noRestart: boolean, flags: string[]): void {
  const app = readState().apps[name];
  if (noRestart || flags.includes("--no-restart") || !app || app.config.DOKKU_APP_RESTORE === "0") return;
  info1(`Restarting app ${name}`);
  if (app.deployed) {
    info1(`Releasing ${name}...`);
    info1(`Deploying web (count=1)`);
    verbose("Attempting pre-flight checks (web.1)");
  }
}

/**
 * config:set's `KEY=VALUE` pairs, for an app or `--global` alike (CommandSet in
 * plugins/config/subcommands.go): fails on none, on a pair without `=`, on a key that is not a shell
 * name, and (with `--encoded`) on a value that is not base64.
 */
export function envPairs(pairs: string[], encoded: boolean): Record<string, string> {
  if (pairs.length === 0) fail("At least one env pair must be given");
  const next: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 0) fail(`Invalid env pair: ${pair}`);
    const key = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    if (!KEY.test(key)) fail(`Invalid key name: '${key}'`);
    if (encoded) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) fail(`illegal base64 data at input byte 0 for key '${key}'`);
      value = Buffer.from(value, "base64").toString("utf8");
    }
    next[key] = value;
  }
  return next;
}

/** What config:set prints for the keys it set: sorted, each name padded to the longest. */
export function printSet(next: Record<string, string>): void {
  info1("Setting config vars");
  const width = Math.max(...Object.keys(next).map((k) => k.length + 1));
  for (const [k, v] of sortedEntries(next)) verbose(`${`${k}:`.padEnd(width)}  ${v}`);
}

export const configSet: Command = ({ args, flags }) => {
  const [options, operands] = endOfOptions(args);
  const encoded = options.includes("--encoded");
  const noRestart = options.includes("--no-restart");
  const positional = [...options.filter((a) => a !== "--encoded" && a !== "--no-restart"), ...operands];
  const [name] = requireApp(positional[0]);
  const next = envPairs(positional.slice(1), encoded);
  updateState((s) => Object.assign(s.apps[name]!.config, next));
  if (!flags.quiet) printSet(next);
  restart(name, noRestart, flags.global);
};

export const configUnset: Command = ({ args, flags }) => {
  const [options, operands] = endOfOptions(args);
  const noRestart = options.includes("--no-restart");
  const positional = [...options.filter((a) => a !== "--no-restart"), ...operands];
  const [name] = requireApp(positional[0]);
  const keys = positional.slice(1);
  if (keys.length === 0) fail("At least one key must be given");
  const had = updateState((s) => {
    const env = s.apps[name]!.config;
    const present = keys.map((k) => k in env);
    for (const k of keys) delete env[k];
    return present;
  });
  keys.forEach((k, i) => info1(had[i] ? `Unsetting ${k}` : `Skipping ${k}, it is not set in the environment`));
  restart(name, noRestart, flags.global);
};

export const configCommands: Record<string, Command> = {
  "config:export": configExport,
  "config:show": configShow,
  config: configShow,
  "config:set": configSet,
  "config:unset": configUnset,
};
