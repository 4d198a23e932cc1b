import { requireApp, takeFormat, type Command } from "../context.js";
import { err, Exit, fail, info2, out, warn } from "../output.js";
import { readState, updateState, versionAtLeast, type SimApp } from "../state.js";

/**
 * The cron plugin (plugins/cron of dokku/dokku, Go with spf13/pflag: an unknown flag prints
 * "unknown flag: --x" and exits 2). cron:list prints JSON with `--format json` (CommandList in
 * plugins/cron/subcommands.go): TemplateCommand's fields through 0.36, CronTask's from 0.37
 * (plugins/cron/cron.go); `--global` from 0.36.7; cron:suspend and cron:resume from 0.37.0, as
 * cron:set of `maintenance.ID` ("=====> Setting maintenance.ID to true" / "=====> Unsetting
 * maintenance.ID", CommandPropertySet in plugins/common/properties.go). Ids are go-base36's
 * lowercase encoding of the bytes of `APP===COMMAND===SCHEDULE` (GenerateCommandID), a global
 * task's of its `;`-parts joined by `;;;` (FetchGlobalCronTasks).
 */

/** go-base36 EncodeToStringLc: the bytes as one big-endian number in base 36. */
export function base36(text: string): string {
  let n = 0n;
  for (const b of Buffer.from(text)) n = n * 256n + BigInt(b);
  return n.toString(36);
}

const SUSPEND_SINCE = "0.37.0";
const GLOBAL_SINCE = "0.36.7";

function tasks(name: string, app: SimApp) {
  const suspended = new Set(app.cronSuspended ?? []);
  return (app.cron ?? []).map((c) => {
    const id = base36(`${name}===${c.command}===${c.schedule}`);
    // TemplateCommand: 0.36.0 added `maintenance` (the app's whole cron, cron:set APP maintenance)
    if (!versionAtLeast(SUSPEND_SINCE))
      return versionAtLeast("0.36.0")
        ? { id, app: name, command: c.command, schedule: c.schedule, maintenance: false }
        : { id, app: name, command: c.command, schedule: c.schedule };
    const mine = suspended.has(id);
    return {
      id,
      app: name,
      command: c.command,
      schedule: c.schedule,
      concurrency_policy: c.concurrency_policy ?? "allow",
      "app-in-maintenance": false,
      "task-in-maintenance": mine,
      maintenance: mine,
    };
  });
}

/** FetchGlobalCronEntries (0.36.7, TemplateCommand) / FetchGlobalCronTasks (0.37+, CronTask): a line not of 2 or 3 parts is skipped with a warning. */
function globalTasks() {
  const lines = (readState().globalCron ?? []).filter((line) => {
    const n = line.split(";").length;
    if (n === 2 || n === 3) return true;
    if (line.trim()) warn(`Invalid injected cron task: ${line}`);
    return false;
  });
  return lines.map((line) => {
    const parts = line.split(";");
    if (!versionAtLeast(SUSPEND_SINCE)) return { id: base36(parts.join(";;;")), command: parts[1]!, global: true, schedule: parts[0]!, maintenance: false };
    return {
      id: base36(parts.join(";;;")),
      command: parts[1]!,
      global: true,
      schedule: parts[0]!,
      concurrency_policy: "",
      "app-in-maintenance": false,
      "task-in-maintenance": false,
      maintenance: false,
    };
  });
}

const list: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const global = rest.includes("--global");
  if (global && !versionAtLeast(GLOBAL_SINCE)) {
    err("unknown flag: --global");
    throw new Exit(2);
  }
  if (format !== undefined && format !== "json" && format !== "stdout") fail("Invalid format specified, supported formats: json, stdout");
  let rows: Array<{ id: string; schedule: string; command: string; concurrency_policy?: string; maintenance?: boolean; "task-in-maintenance"?: boolean }>;
  if (global) rows = globalTasks();
  else {
    const [name, app] = requireApp(rest[0]);
    rows = tasks(name, app);
  }
  if (format === "json") return out(JSON.stringify(rows));
  out(columnize(textRows(rows)));
};

/**
 * The stdout form: 0.36 "ID | Schedule | Maintenance | Command" (%t of a bool); 0.37 added the
 * policy and wrote the maintenance string through %t, which Go prints as `%!t(string=false)`,
 * until 0.38.7's %s ("true (task)", "true (app)", "false"); through 0.35 no maintenance column.
 */
function textRows(
  rows: Array<{ id: string; schedule: string; command: string; concurrency_policy?: string; maintenance?: boolean; "task-in-maintenance"?: boolean }>,
) {
  if (!versionAtLeast("0.36.0")) return [["ID", "Schedule", "Command"], ...rows.map((r) => [r.id, r.schedule, r.command])];
  if (!versionAtLeast(SUSPEND_SINCE))
    return [["ID", "Schedule", "Maintenance", "Command"], ...rows.map((r) => [r.id, r.schedule, String(!!r.maintenance), r.command])];
  const word = (r: (typeof rows)[number]) => (r.maintenance ? (r["task-in-maintenance"] ? "true (task)" : "true (app)") : "false");
  const shown = (r: (typeof rows)[number]) => (versionAtLeast("0.38.7") ? word(r) : `%!t(string=${word(r)})`);
  return [["ID", "Schedule", "Concurrency", "Maintenance", "Command"], ...rows.map((r) => [r.id, r.schedule, r.concurrency_policy ?? "", shown(r), r.command])];
}

/** columnize.SimpleFormat: columns padded to the widest, two spaces between, the last one unpadded. */
function columnize(lines: string[][]): string {
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  return lines.map((l) => l.map((c, i) => (i === l.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n");
}

function findTask(name: string, app: SimApp, id: string | undefined) {
  if (!id) fail(`Please specify a Cron ID from the output of 'dokku cron:list ${name}'`);
  return tasks(name, app).find((t) => t.id === id);
}

/** cron:run: the task's container output, streamed; an unknown id is CommandRun's own error. */
const run: Command = ({ args }) => {
  const [name, app] = requireApp(args[0]);
  const task = findTask(name, app, args[1]);
  if (!task) fail(`No matching Cron ID found. Please specify a Cron ID from the output of 'dokku cron:list ${name}'`);
  // what the one-off container printed: the simulated app echoes the command it was given
  out(`running ${task.command}`);
};

/** cron:set APP maintenance.ID: the id is looked up before the app is verified (CommandSet). */
function maintenance(value: boolean): Command {
  return ({ args }) => {
    const [name, id] = [args[0] ?? "", args[1] ?? ""];
    const app = readState().apps[name];
    if (!id) fail("Invalid task maintenance property, missing ID");
    if (!app || !findTask(name, app, id)) fail(`Invalid task maintenance property, no matching task ID found: maintenance.${id}`);
    updateState((s) => {
      const a = s.apps[name]!;
      const set = new Set(a.cronSuspended ?? []);
      if (value) set.add(id);
      else set.delete(id);
      a.cronSuspended = [...set];
    });
    info2(value ? `Setting maintenance.${id} to true` : `Unsetting maintenance.${id}`);
  };
}

const always: Record<string, Command> = { "cron:list": list, "cron:run": run };
const since037: Record<string, Command> = { "cron:suspend": maintenance(true), "cron:resume": maintenance(false) };

/** The cron commands this simulated Dokku has (suspend and resume only from 0.37.0: else "not a dokku command"). */
export function cronCommand(name: string): Command | undefined {
  return always[name] ?? (versionAtLeast(SUSPEND_SINCE) ? since037[name] : undefined);
}
