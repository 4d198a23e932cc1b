import { requireApp, takeFormat, type Command } from "../context.js";
import { bashReport, fail, goPluginReport, info1, out } from "../output.js";
import { updateState, versionAtLeast, type SimApp } from "../state.js";

/**
 * The docker-options plugin of dokku/dokku: bash before 0.38.0 (plugins/docker-options/{functions,
 * internal-functions,subcommands/*}: one DOCKER_OPTIONS_PHASE file per phase, `sort -u`, storage's
 * `-v` mounts in the same files), Go from 0.38.0 (functions.go, report.go: properties per process
 * type and phase, `--process` for the deploy phase). Kept as SimAppSettings.dockerOptions keyed
 * `build`, `deploy`, `run` and `deploy.TYPE`.
 */

const GO = "0.38.0";
const PHASES = ["build", "deploy", "run"];

/** pflag with SetInterspersed(false): `--process X` (repeatable) only before the app. */
function takeProcess(args: string[]): { processes: string[]; rest: string[] } {
  const processes: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    if (args[i] === "--process") processes.push(args[++i] ?? "");
    else if (args[i]!.startsWith("--process=")) processes.push(args[i]!.slice(10));
    else break;
  }
  return { processes, rest: args.slice(i) };
}

/** parsePhases / get_phases: a comma list of build, deploy, run. */
function parsePhases(list: string | undefined): string[] {
  const phases = (list ?? "").split(",").filter((p) => p !== "");
  for (const p of phases) if (!PHASES.includes(p)) fail(`Phase(s) must be one of [${PHASES.join(" ")}]`);
  return phases;
}

/** A phase's options as stored: on 0.35 storage's mounts are `-v` lines of the deploy and run files, and each file is `sort -u`. */
function optionsOf(app: SimApp, key: string): string[] {
  const own = app.settings?.dockerOptions?.[key] ?? [];
  if (versionAtLeast(GO)) return own;
  const mounts = key === "deploy" || key === "run" ? (app.settings?.mounts ?? []).map((m) => `-v ${m}`) : [];
  return [...new Set([...own, ...mounts])].sort();
}

function change(name: string, keys: string[], edit: (options: string[]) => string[]): void {
  updateState((s) => {
    const settings = (s.apps[name]!.settings ??= {});
    // 0.35: storage's mounts are `-v` lines of the same files, so editing those edits the mounts
    if (!versionAtLeast(GO) && (keys.includes("deploy") || keys.includes("run"))) {
      const kept = edit((settings.mounts ?? []).map((m) => `-v ${m}`));
      settings.mounts = kept.filter((o) => o.startsWith("-v ")).map((o) => o.slice(3));
    }
    const all = (settings.dockerOptions ??= {});
    for (const k of keys) {
      const next = edit(all[k] ?? []);
      if (next.length > 0) all[k] = versionAtLeast(GO) ? next : [...new Set(next)].sort();
      else delete all[k];
    }
  });
}

const keysFor = (phases: string[], processes: string[]) => (processes.length === 0 ? phases : processes.flatMap((t) => phases.map((p) => `${p}.${t}`)));

function checkProcess(processes: string[], phases: string[]): void {
  if (processes.length > 0 && phases.some((p) => p !== "deploy")) fail("--process is only supported for the deploy phase");
}

/** docker-options:report APP [--format json]: 0.35 bash text; 0.38 Go (JSON keys with and without the prefix, `-list` arrays from 0.38.22). */
const report: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  // 0.35: `tr '\n' ' '` (a space after each option); 0.38: strings.Join(options, " ")
  const joined = (k: string) =>
    versionAtLeast(GO)
      ? optionsOf(app, k).join(" ")
      : optionsOf(app, k)
          .map((o) => `${o} `)
          .join("");
  const fields: Array<[string, string]> = PHASES.map((p) => [`docker-options-${p}`, joined(p)]);
  if (!versionAtLeast(GO)) {
    if (format !== undefined) fail(`Invalid flag passed, valid flags: ${PHASES.map((p) => `--docker-options-${p}`).join(" ")}`);
    return bashReport(`${name} docker options information`, fields);
  }
  const processes = Object.keys(app.settings?.dockerOptions ?? {})
    .filter((k) => k.startsWith("deploy."))
    .sort();
  for (const k of processes) fields.push([`docker-options-${k}`, joined(k)]);
  if (format === "json" && versionAtLeast("0.38.22")) {
    // buildJSONReportData: every key with and without the prefix, then PHASE-list and deploy.TYPE-list arrays
    const data: Record<string, string | string[]> = {};
    for (const [k, v] of fields) {
      data[k] = v;
      data[k.slice("docker-options-".length)] = v;
    }
    for (const k of [...PHASES, ...processes]) data[`${k}-list`] = optionsOf(app, k);
    return out(JSON.stringify(Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)))));
  }
  goPluginReport(name, "docker options", "docker-options", fields, format, versionAtLeast);
};

const add: Command = ({ args }) => {
  const { processes, rest } = takeProcess(args);
  const [name] = requireApp(rest[0]);
  const phases = parsePhases(rest[1]);
  const option = rest.slice(2).join(" ");
  if (!option) fail("Please specify docker options to add to the phase");
  if (versionAtLeast(GO)) checkProcess(processes, phases);
  change(name, keysFor(phases, processes), (o) => (o.includes(option) ? o : [...o, option]));
};

const remove: Command = ({ args }) => {
  const { processes, rest } = takeProcess(args);
  const [name] = requireApp(rest[0]);
  const phases = parsePhases(rest[1]);
  const option = rest.slice(2).join(" ");
  if (!option) fail("Please specify docker options to remove from the phase");
  if (versionAtLeast(GO)) checkProcess(processes, phases);
  change(name, keysFor(phases, processes), (o) => o.filter((x) => x !== option));
};

const clear: Command = ({ args }) => {
  const { processes, rest } = takeProcess(args);
  const [name] = requireApp(rest[0]);
  if (processes.length > 0) {
    const phases = rest[1] ? parsePhases(rest[1]) : ["deploy"];
    checkProcess(processes, phases);
    for (const t of processes) for (const p of phases) info1(`Clearing docker-options for ${name} on phase ${p} for process ${t}`);
    return change(name, keysFor(phases, processes), () => []);
  }
  if (!rest[1]) {
    info1(`Clearing docker-options for ${name} on all phases`);
    return change(name, PHASES, () => []);
  }
  const phases = parsePhases(rest[1]);
  for (const p of phases) info1(`Clearing docker-options for ${name} on phase ${p}`);
  change(name, phases, () => []);
};

export const dockerOptionsCommands: Record<string, Command> = {
  "docker-options:report": report,
  "docker-options:add": add,
  "docker-options:remove": remove,
  "docker-options:clear": clear,
};
