import { appMissing, fail } from "./output.js";
import { readState, type SimApp } from "./state.js";

export interface GlobalFlags {
  quiet: boolean;
  force: boolean;
  app: string | null;
  /** Every leading `--flag` (Dokku's DOKKU_GLOBAL_FLAGS), e.g. --no-restart. */
  global: string[];
}

export interface Ctx {
  /** Arguments after the command name (global flags removed from the front). */
  args: string[];
  flags: GlobalFlags;
}

export type Command = (ctx: Ctx) => void | Promise<void>;

/** Like verify_app_name: an empty name fails with exit 1, a missing app with exit 20. */
export function requireApp(name: string | undefined): [string, SimApp] {
  if (!name) fail("Please specify an app to run the command on");
  const app = readState().apps[name];
  if (!app) appMissing(name);
  return [name, app];
}

/**
 * spf13/pflag's `--`, as Dokku's Go subcommands (config, buildpacks, ports, builder, ps:scale)
 * parse their arguments: the first `--` ends the options and is dropped, everything after it is an
 * operand even if it looks like a flag. Returns [arguments before `--`, operands after it].
 */
export function endOfOptions(args: string[]): [string[], string[]] {
  const i = args.indexOf("--");
  return i < 0 ? [args, []] : [args.slice(0, i), args.slice(i + 1)];
}

/** Split `--format X` out of a command's arguments. */
export function takeFormat(args: string[]): { format: string | undefined; rest: string[] } {
  const i = args.indexOf("--format");
  if (i < 0) return { format: undefined, rest: args };
  return { format: args[i + 1], rest: args.filter((_, j) => j !== i && j !== i + 1) };
}

/** spf13/pflag's `--NAME VALUE` or `--NAME=VALUE` (interspersed: anywhere); returns the value and the other arguments. */
export function takeFlag(args: string[], name: string): { value: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) value = args[++i] ?? "";
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
    else rest.push(a);
  }
  return { value, rest };
}
