import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { requireApp, takeFlag, type Command } from "../context.js";
import { fail, info1, out } from "../output.js";
import { faultFor, readState, stateDir, versionAtLeast } from "../state.js";

/**
 * Dokku 0.38's build records (plugins/builds in dokku/dokku, Go): each deploy writes
 * `data/builds/APP/ID.json` and its log `ID.log` (dokku_setup_build_capture in
 * plugins/common/functions tees the command's output into it); the deploy lock
 * `data/apps/APP/.deploy.lock` holds the running build's id. Before 0.38 none of this exists.
 */
interface SimBuild {
  id: string;
  app: string;
  kind: "build" | "deploy";
  pid: number;
  started_at: string;
  finished_at?: string;
  status: "running" | "succeeded" | "failed" | "canceled";
  source: string;
  exit_code?: number;
}

const dataDir = (app: string) => join(stateDir(), "builds", app);
const recordPath = (app: string, id: string) => join(dataDir(app), `${id}.json`);
const logPath = (app: string, id: string) => join(dataDir(app), `${id}.log`);
const lockPath = (app: string) => join(stateDir(), "apps", app, ".deploy.lock");
/** Where Dokku keeps the log: what `log_path` and `Log:` print (AppDataDir under DOKKU_LIB_ROOT). */
const shownLogPath = (app: string, id: string) => `/var/lib/dokku/data/builds/${app}/${id}.log`;

/** GenerateBuildID in plugins/builds/builds.go: 8 base36 characters of the time in ms, then 6 random. */
function buildId(): string {
  const ts = Date.now().toString(36).padStart(8, "0").slice(-8);
  const rand = BigInt(`0x${randomBytes(6).toString("hex")}`)
    .toString(36)
    .padStart(6, "0")
    .slice(-6);
  return ts + rand;
}

/** Build's fields in its struct's order (plugins/builds/builds.go), the omitempty ones only when set: as encoding/json writes them. */
function ordered(b: SimBuild): SimBuild {
  return {
    id: b.id,
    app: b.app,
    kind: b.kind,
    pid: b.pid,
    started_at: b.started_at,
    ...(b.finished_at !== undefined ? { finished_at: b.finished_at } : {}),
    status: b.status,
    source: b.source,
    ...(b.exit_code !== undefined ? { exit_code: b.exit_code } : {}),
  };
}

/** WriteBuild: the record as json.MarshalIndent writes it, written whole and renamed into place. */
function writeBuild(b: SimBuild): void {
  mkdirSync(dataDir(b.app), { recursive: true });
  const tmp = `${recordPath(b.app, b.id)}.tmp`;
  writeFileSync(tmp, JSON.stringify(ordered(b), null, 2));
  renameSync(tmp, recordPath(b.app, b.id));
}

function readBuild(app: string, id: string): SimBuild | null {
  try {
    return JSON.parse(readFileSync(recordPath(app, id), "utf8")) as SimBuild;
  } catch {
    return null;
  }
}

/** CheckPIDAlive: kill(pid, 0); EPERM counts as alive. */
function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const displayStatus = (b: SimBuild) => (b.status === "running" && !alive(b.pid) ? "abandoned" : b.status);

/** Build.Duration rounded to the second, as Go's time.Duration prints it ("0s", "42s", "1m5s", "1h0m2s"). */
function duration(b: SimBuild): string {
  const end = b.finished_at ? Date.parse(b.finished_at) : Date.now();
  let s = Math.max(0, Math.round((end - Date.parse(b.started_at)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** listView: the record's fields in Build's order, then display_status, duration, log_path. */
function view(b: SimBuild) {
  return { ...ordered(b), display_status: displayStatus(b), duration: duration(b), log_path: shownLogPath(b.app, b.id) };
}

/** FetchBuilds: every record of the app, newest first. */
function fetchBuilds(app: string): SimBuild[] {
  if (!existsSync(dataDir(app))) return [];
  return readdirSync(dataDir(app))
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => readBuild(app, f.slice(0, -5)) ?? [])
    .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
}

/** RFC3339 as Go's time.Format prints it: seconds, no fraction. */
const rfc3339 = (iso: string) => `${iso.slice(0, 19)}Z`;

/**
 * ryanuber/columnize as Dokku uses it: cells split on `|` and trimmed, every column but the last
 * padded to its widest cell and glued with two spaces.
 */
export function columnize(rows: string[]): string {
  const cells = rows.map((r) => r.split("|").map((c) => c.trim()));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((row) => row.map((c, i) => (i === row.length - 1 ? c : `${c.padEnd(widths[i]!)}  `)).join("")).join("\n");
}

const INVALID_FORMAT = "Invalid format specified, supported formats: json, stdout";

/** builds:list [APP] [--format json] [--kind K] [--status S] (CommandList). */
const buildsList: Command = ({ args }) => {
  const f = takeFlag(args, "format");
  const k = takeFlag(f.rest, "kind");
  const s = takeFlag(k.rest, "status");
  const format = f.value || "stdout";
  if (format !== "stdout" && format !== "json") fail(INVALID_FORMAT);
  if (k.value && k.value !== "build" && k.value !== "deploy") fail(`Invalid --kind value "${k.value}" (allowed: build, deploy)`);
  if (s.value && !["running", "succeeded", "failed", "canceled", "abandoned"].includes(s.value))
    fail(`Invalid --status value "${s.value}" (allowed: running, succeeded, failed, canceled, abandoned)`);
  if (s.rest[0] === undefined) return listAllRunning(format, k.value, s.value);
  const [name] = requireApp(s.rest[0]);
  const views = fetchBuilds(name)
    .map(view)
    .filter((v) => (!k.value || v.kind === k.value) && (!s.value || v.display_status === s.value));
  // live-running first, then newest first (a stable sort keeps FetchBuilds' order)
  views.sort((a, b) => Number(b.display_status === "running") - Number(a.display_status === "running"));
  if (format === "json") return out(JSON.stringify(views));
  if (views.length === 0) return out("No builds recorded for this app");
  out(
    columnize([
      "Build ID | Kind | Status | PID | Source | Started | Duration",
      ...views.map((v) => `${v.id} | ${v.kind} | ${v.display_status} | ${v.pid} | ${v.source} | ${rfc3339(v.started_at)} | ${v.duration}`),
    ]),
  );
};

/** builds:list without an app (commandListAllRunning): the records still `running` of every app, newest first. */
function listAllRunning(format: string, kind: string | undefined, status: string | undefined): void {
  const views = Object.keys(readState().apps)
    .flatMap((app) => fetchBuilds(app).filter((b) => b.status === "running"))
    .map(view)
    .filter((v) => (!kind || v.kind === kind) && (!status || v.display_status === status))
    .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
  if (format === "json") return out(JSON.stringify(views));
  if (views.length === 0) return out("No builds currently running");
  out(
    columnize([
      "App | Build ID | Kind | PID | Source | Started",
      ...views.map((v) => `${v.app} | ${v.id} | ${v.kind} | ${v.pid} | ${v.source} | ${rfc3339(v.started_at)}`),
    ]),
  );
}

/** builds:info APP ID [--format json] (CommandInfo). */
const buildsInfo: Command = ({ args }) => {
  const f = takeFlag(args, "format");
  const format = f.value || "stdout";
  if (format !== "stdout" && format !== "json") fail(INVALID_FORMAT);
  const [name] = requireApp(f.rest[0]);
  const id = f.rest[1];
  if (!id) fail("Please specify a build id");
  const b = readBuild(name, id);
  if (!b) fail(`No build record found for ${name}/${id}`);
  const v = view(b);
  if (format === "json") return out(JSON.stringify(v));
  out(
    columnize([
      `Build ID:|${v.id}`,
      `App:|${v.app}`,
      `Kind:|${v.kind}`,
      `Status:|${v.display_status}`,
      `PID:|${v.pid}`,
      `Source:|${v.source}`,
      `Started:|${rfc3339(v.started_at)}`,
      ...(v.finished_at ? [`Finished:|${rfc3339(v.finished_at)}`] : []),
      `Duration:|${v.duration}`,
      ...(v.exit_code !== undefined ? [`Exit Code:|${v.exit_code}`] : []),
      `Log:|${v.log_path}`,
    ]),
  );
};

/** The id in the deploy lock, or null (with Dokku's line said) when none is running. */
function lockedBuild(name: string): string | null {
  if (!existsSync(lockPath(name))) {
    info1("App not currently deploying");
    return null;
  }
  const id = readFileSync(lockPath(name), "utf8").trim();
  if (!id) {
    info1("No matching app deploy found");
    return null;
  }
  return id;
}

/** builds:output APP [ID|current] (CommandOutput): the log file as it is (a running build's is followed by `tail -f`). */
const buildsOutput: Command = async ({ args }) => {
  const [name] = requireApp(args[0]);
  let id = args[1];
  if (!id || id === "current") {
    const locked = lockedBuild(name);
    if (!locked) return;
    id = locked;
  }
  if (!existsSync(logPath(name, id))) fail(`log file missing and journalctl not available for build ${id}`);
  process.stdout.write(readFileSync(logPath(name, id)));
  const b = readBuild(name, id);
  if (b?.status === "running" && alive(b.pid)) await new Promise(() => setInterval(() => {}, 1 << 30));
};

/**
 * builds:cancel APP (CommandCancel): SIGQUIT to the running build, its record `canceled` unless the
 * build's own finalize marked it `failed` first (fault `finalizeFirst`), the lock removed.
 */
const buildsCancel: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const id = lockedBuild(name);
  if (!id) return;
  const b = readBuild(name, id);
  if (!b) {
    info1(`No build record for ${id}, removing stale lock file`);
    rmSync(lockPath(name), { force: true });
    return;
  }
  if (b.status !== "running") return info1(`Build ${id} is no longer running (status=${b.status}); leaving record untouched`);
  const finished = { finished_at: new Date().toISOString(), exit_code: -1 };
  if (!alive(b.pid)) {
    info1("Build was already terminated, marking failed");
    writeBuild({ ...b, status: "failed", ...finished });
    rmSync(lockPath(name), { force: true });
    return;
  }
  info1("Killing app deploy");
  try {
    process.kill(b.pid, "SIGQUIT");
  } catch {
    // gone meanwhile: Dokku only warns
  }
  // the dying deploy's own finalize may get there first (exit 131: bash's for SIGQUIT), and is then left as it wrote it
  if (faultFor("builds:cancel")?.finalizeFirst) writeBuild({ ...b, status: "failed", finished_at: new Date().toISOString(), exit_code: 131 });
  if (readBuild(name, id)?.status === "running") writeBuild({ ...b, status: "canceled", ...finished });
  rmSync(lockPath(name), { force: true });
};

/** The builds:* commands, from Dokku 0.38 (before: not a dokku command). */
export function buildsCommand(name: string): Command | undefined {
  if (!versionAtLeast("0.38.0")) return undefined;
  return { "builds:list": buildsList, "builds:info": buildsInfo, "builds:output": buildsOutput, "builds:cancel": buildsCancel }[name];
}

/**
 * What a command records as a build on 0.38 (the callers of dokku_setup_build_capture): `ps:rebuild`
 * goes through receive-app (source `git-hook`, plugins/git/receive-app), `git:sync` records
 * `git:sync` whether or not it builds (plugins/git/internal-functions). `locks`: whether it takes
 * the deploy lock (git_receive_app, only for an app with a repository: a deployed one here), which
 * is also where the record is finalized; a git:sync without --build never is, and once its process
 * is gone builds:list shows it `abandoned`, as Dokku does.
 */
function captureOf(command: string, args: string[], deployed: (app: string) => boolean | null): { app: string; source: string; locks: boolean } | null {
  const app = args.find((a) => !a.startsWith("--"));
  if (!app) return null;
  const known = deployed(app);
  if (known === null) return null;
  if (command === "ps:rebuild") return { app, source: "git-hook", locks: known };
  if (command === "git:sync") return { app, source: "git:sync", locks: args.includes("--build") };
  return null;
}

/**
 * Start recording a build for `command` (0.38+): the record `running` with this process's pid, the
 * lock holding its id, stdout and stderr teed into its log. Returns what to call with the exit code
 * when the command ends (builds-record-finalize, then the lock removed), or null when it records none.
 */
export function startBuild(command: string, args: string[], deployed: (app: string) => boolean | null): ((exitCode: number) => void) | null {
  if (!versionAtLeast("0.38.0")) return null;
  const capture = captureOf(command, args, deployed);
  if (!capture) return null;
  const { app, source, locks } = capture;
  const b: SimBuild = { id: buildId(), app, kind: "build", pid: process.pid, started_at: new Date().toISOString(), status: "running", source };
  writeBuild(b);
  writeFileSync(logPath(app, b.id), "");
  if (locks) {
    mkdirSync(join(stateDir(), "apps", app), { recursive: true });
    writeFileSync(lockPath(app), `${b.id}\n`);
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      appendFileSync(logPath(app, b.id), chunk);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return (exitCode) => {
    if (!locks) return;
    const now = readBuild(app, b.id);
    if (now && now.status === "running")
      writeBuild({ ...now, status: exitCode === 0 ? "succeeded" : "failed", finished_at: new Date().toISOString(), exit_code: exitCode });
    rmSync(lockPath(app), { force: true });
  };
}
