import { requireApp, takeFormat, type Command } from "../context.js";
import { fail, info2, out, verbose } from "../output.js";
import { updateState, versionAtLeast } from "../state.js";

/**
 * The resource plugin (Go): plugins/resource/{resource,functions,subcommands}.go and
 * src/subcommands/subcommands.go of dokku/dokku. Properties are `TYPE.KIND.RESOURCE`.
 */

/** pflag-style options: `--name value` or `--name=value`; returns the options and the operands. */
function parseFlags(args: string[], names: string[]): { opts: Record<string, string>; rest: string[] } {
  const opts: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") ? (eq > 0 ? a.slice(2, eq) : a.slice(2)) : null;
    if (name === null) rest.push(a);
    else if (!names.includes(name)) fail(`unknown flag: --${name}`);
    else opts[name] = eq > 0 ? a.slice(eq + 1) : (args[++i] ?? "");
  }
  return { opts, rest };
}

/**
 * ReportSingleApp: JSON keys trimmed of `--resource-` (plus the `resource-` ones from 0.38.8); text
 * keys with `-` and `.` as spaces, not capitalised, padded to the longest flag (31 at least) —
 * trimmed of the prefix on 0.35, keeping `resource` from 0.38 (common.ReportSingleApp).
 */
export const resourceReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const props = Object.entries(app.settings?.resources ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (format === "json") {
    const data: Record<string, string> = {};
    for (const [k, v] of props) {
      data[k] = v;
      if (versionAtLeast("0.38.8")) data[`resource-${k}`] = v;
    }
    return out(JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)))));
  }
  info2(`${name} resource information`);
  const width = Math.max(31, ...props.map(([k]) => `--resource-${k}`.length));
  for (const [k, v] of props) {
    const key = (versionAtLeast("0.38.0") ? `resource-${k}` : k).replace(/[-.]/g, " ");
    verbose(`${`${key}:`.padEnd(width)}${v}`);
  }
};

const noun = (kind: string) => (kind === "reserve" ? "reservation" : "limits");

/** setResourceType: without values it prints the type's report instead (not used by Docklight). */
function setter(kind: "limit" | "reserve"): Command {
  return ({ args }) => {
    const { opts, rest } = parseFlags(args, ["cpu", "memory", "memory-swap", "network", "network-ingress", "network-egress", "nvidia-gpu", "process-type"]);
    const [name] = requireApp(rest[0]);
    const type = opts["process-type"] || "_default_";
    const values = (["cpu", "memory", "memory-swap", "network", "network-ingress", "network-egress", "nvidia-gpu"] as const).filter((k) => opts[k]);
    if (values.length === 0) return info2(`resource ${noun(kind)} ${name} information${type === "_default_" ? " [defaults]" : ` (${type})`}`);
    info2(`Setting resource ${noun(kind)} for ${name}${type === "_default_" ? "" : ` (${type})`}`);
    updateState((s) => {
      const a = s.apps[name]!;
      const resources = { ...a.settings?.resources };
      for (const k of values) {
        if (opts[k] === "clear") delete resources[`${type}.${kind}.${k}`];
        else resources[`${type}.${kind}.${k}`] = opts[k]!;
      }
      a.settings = { ...a.settings, resources };
    });
    for (const k of values) verbose(opts[k] === "clear" ? `${k}: cleared` : `${k}: ${opts[k]}`);
  };
}

/** clearByResourceType: with no process type every resource property goes, limits and reservations alike. */
function clearer(kind: "limit" | "reserve"): Command {
  return ({ args }) => {
    const { opts, rest } = parseFlags(args, ["process-type"]);
    const [name] = requireApp(rest[0]);
    const type = opts["process-type"] ?? "";
    info2(`clearing ${name} ${noun(kind)}${type !== "_default_" && type !== "" ? ` (${type})` : ""}`);
    updateState((s) => {
      const a = s.apps[name]!;
      const resources = Object.fromEntries(Object.entries(a.settings?.resources ?? {}).filter(([k]) => type !== "" && !k.startsWith(`${type}.${kind}.`)));
      a.settings = { ...a.settings, resources };
    });
  };
}

export const resourceCommands: Record<string, Command> = {
  "resource:report": resourceReport,
  "resource:limit": setter("limit"),
  "resource:reserve": setter("reserve"),
  "resource:limit-clear": clearer("limit"),
  "resource:reserve-clear": clearer("reserve"),
};
