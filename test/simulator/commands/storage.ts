import { createHash } from "node:crypto";
import { requireApp, takeFlag, takeFormat, type Command } from "../context.js";
import { fail, info1, out, verbose, warn } from "../output.js";
import { readState, updateState, versionAtLeast, type SimState } from "../state.js";

/**
 * The storage plugin of dokku/dokku: bash before 0.38.0 (plugins/storage/subcommands/{list,mount,
 * unmount,ensure-directory}, internal-functions, storage-list), Go from 0.38.0 with named entries
 * (plugins/storage/{subcommands,commands_entries,storage,entry,attachment}.go). A mount is kept as
 * `host:container[:options]`; on 0.38 a mount by path also registers a `legacy-<sha1[:10]>` entry
 * (LegacyMountToEntry in entry.go), and a named mount is an attachment.
 */

const GO = "0.38.0";
const STORAGE_DIR = "/var/lib/dokku/data/storage";

const legacyName = (host: string) =>
  `legacy-${createHash("sha1")
    .update(host.startsWith("/") ? host : `vol:${host}`)
    .digest("hex")
    .slice(0, 10)}`;

/** VerifyPaths (storage.go) / verify_paths (functions). */
function verifyPaths(mount: string): void {
  if (mount.startsWith("/")) {
    if (!/^\/.*:\//.test(mount)) fail("Storage path must be two valid paths divided by colon.");
  } else if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+:\//.test(mount)) {
    fail("Volume name must be two characters or more. Volume name must not contain invalid characters. Storage path must be two valid paths divided by colon.");
  }
}

interface Row {
  entry_name?: string;
  host_path: string;
  container_path: string;
  readonly?: boolean;
  volume_options?: string;
}

function rowsOf(state: SimState, app: string): Row[] {
  const settings = state.apps[app]!.settings ?? {};
  const mounts = versionAtLeast(GO) ? (settings.mounts ?? []) : [...(settings.mounts ?? [])].sort();
  const rows: Row[] = mounts.map((m) => {
    const [host_path = "", container_path = "", opts = ""] = m.split(":");
    const tokens = opts.split(",").filter((t) => t !== "");
    return {
      entry_name: legacyName(host_path),
      host_path,
      container_path,
      readonly: tokens.includes("ro"),
      volume_options: tokens.filter((t) => t !== "ro").join(","),
    };
  });
  for (const a of settings.attachments ?? []) {
    rows.push({
      entry_name: a.entry,
      host_path: state.storageEntries?.[a.entry]?.hostPath ?? a.entry,
      container_path: a.containerPath,
      readonly: a.readonly,
      volume_options: "",
    });
  }
  return rows;
}

const colonForm = (r: Row) => {
  const opts = [r.readonly ? "ro" : "", r.volume_options ?? ""].filter((x) => x !== "").join(",");
  return opts ? `${r.host_path}:${r.container_path}:${opts}` : `${r.host_path}:${r.container_path}`;
};

/** storage:list APP [--format text|json]: deploy-phase mounts. */
const storageList: Command = ({ args, flags }) => {
  const { format, rest } = takeFormat(args);
  if (format !== undefined && format !== "json" && format !== "text") fail("Invalid --format value specified");
  const [name] = requireApp(rest[0]);
  const rows = rowsOf(readState(), name);
  if (versionAtLeast(GO)) {
    // CommandList: json.Marshal (omitempty fields dropped), else the header and one verbose line each
    if (format === "json")
      return out(JSON.stringify(rows.map((r) => ({ ...r, readonly: r.readonly || undefined, volume_options: r.volume_options || undefined }))));
    if (!flags.quiet) info1(`${name} volume bind-mounts:`);
    for (const r of rows) (flags.quiet ? out : verbose)(colonForm(r));
    return;
  }
  // 0.35: jq -M -n '[inputs]' (pretty, two spaces); text bare unless --format text gave the header
  if (format === "json") {
    const objs = rows.map((r) => {
      const [, , opts = ""] = colonForm(r).split(":");
      return { host_path: r.host_path, container_path: r.container_path, volume_options: opts };
    });
    return out(objs.length === 0 ? "[]" : JSON.stringify(objs, null, 2));
  }
  if (format === "text") info1(`${name} volume bind-mounts:`);
  for (const r of rows) out(format === "text" ? `       ${colonForm(r)}` : colonForm(r));
};

/** storage:mount APP HOST:CONTAINER[:OPTIONS], or on 0.38 APP ENTRY --container-dir PATH [--volume-readonly]. */
const storageMount: Command = ({ args }) => {
  const dir = takeFlag(args, "container-dir");
  const ro = dir.rest.includes("--volume-readonly");
  const [appArg, target] = dir.rest.filter((a) => a !== "--volume-readonly");
  const [name] = requireApp(appArg);
  if (versionAtLeast(GO) && target && !target.includes(":")) {
    const entry = readState().storageEntries?.[target];
    if (!entry) fail(`storage entry "${target}" does not exist; create it first with \`dokku storage:create\``);
    if (!dir.value) fail("--container-dir is required when mounting a named storage entry");
    updateState((s) => {
      const settings = (s.apps[name]!.settings ??= {});
      settings.attachments = [
        ...(settings.attachments ?? []).filter((a) => !(a.entry === target && a.containerPath === dir.value)),
        { entry: target, containerPath: dir.value!, readonly: ro },
      ];
    });
    return info1(`Storage entry ${target} mounted at ${dir.value} on ${name}`);
  }
  verifyPaths(target ?? "");
  const mounts = readState().apps[name]!.settings?.mounts ?? [];
  if (mounts.includes(target!)) fail("Mount path already exists.");
  updateState((s) => {
    const settings = (s.apps[name]!.settings ??= {});
    settings.mounts = [...(settings.mounts ?? []), target!];
    if (versionAtLeast(GO)) {
      const host = target!.split(":")[0]!;
      s.storageEntries ??= {};
      s.storageEntries[legacyName(host)] ??= { hostPath: host, createdAt: Date.now() };
    }
  });
};

/** storage:unmount APP HOST:CONTAINER[:OPTIONS], or on 0.38 APP ENTRY --container-dir PATH. */
const storageUnmount: Command = ({ args }) => {
  const dir = takeFlag(args, "container-dir");
  const [appArg, target] = dir.rest;
  const [name] = requireApp(appArg);
  if (versionAtLeast(GO) && target && !target.includes(":")) {
    const atts = readState().apps[name]!.settings?.attachments ?? [];
    const hit = atts.filter((a) => a.entry === target && (!dir.value || a.containerPath === dir.value));
    if (hit.length === 0)
      fail(
        dir.value ? `storage entry "${target}" is not mounted at "${dir.value}" on app "${name}"` : `storage entry "${target}" is not mounted on app "${name}"`,
      );
    updateState((s) => {
      const settings = s.apps[name]!.settings!;
      settings.attachments = atts.filter((a) => !hit.includes(a));
    });
    return;
  }
  verifyPaths(target ?? "");
  const mounts = readState().apps[name]!.settings?.mounts ?? [];
  if (!mounts.includes(target!)) fail("Mount path does not exist.");
  updateState((s) => {
    s.apps[name]!.settings!.mounts = mounts.filter((m) => m !== target);
  });
};

const CHOWN: Record<string, string> = { herokuish: "32767", heroku: "1000", paketo: "2000", root: "0", false: "false" };

/** storage:ensure-directory [--chown OWNER] NAME (0.38 warns it is deprecated first). */
const storageEnsureDirectory: Command = ({ args }) => {
  const { value, rest } = takeFlag(args, "chown");
  if (versionAtLeast(GO)) warn("Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'");
  const dir = rest[0];
  if (!dir) fail("Please specify a directory to create");
  if (!/^[A-Za-z0-9_-]+$/.test(dir)) fail("Directory can only contain the following set of characters: [A-Za-z0-9_-]");
  const id = CHOWN[value ?? "herokuish"];
  if (id === undefined) fail("Unsupported chown permissions");
  info1(`Ensuring ${STORAGE_DIR}/${dir} exists`);
  if (id !== "false") verbose(`Setting directory ownership to ${id}:${id}`);
  verbose("Directory ready for mounting");
};

/** Entry as JSON (json.MarshalIndent, omitempty): docker-local entries only here. */
function entryJson(name: string): Record<string, unknown> {
  const e = readState().storageEntries![name]!;
  return { name, scheduler: "docker-local", host_path: e.hostPath, ...(e.chown ? { chown: e.chown } : {}), schema_version: 1 };
}

const requireEntry = (name: string | undefined): string => {
  if (!name) fail("storage entry name is required");
  if (!readState().storageEntries?.[name]) fail(`storage entry "${name}" does not exist`);
  return name;
};

/** 0.38.0+: storage:create, storage:destroy, storage:list-entries, storage:info (plugins/storage/commands_entries.go). */
const entryCommands: Record<string, Command> = {
  "storage:create": ({ args }) => {
    const chown = takeFlag(args, "chown");
    const [name, path] = chown.rest;
    if (!name) fail("storage entry name is required");
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
      fail(`storage entry name "${name}" must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)`);
    if (name.startsWith("legacy-")) fail(`storage entry name "${name}" must not start with reserved prefix "legacy-"`);
    if (readState().storageEntries?.[name]) info1(`Storage entry ${name} already exists, leaving in place`);
    updateState((s) => {
      s.storageEntries ??= {};
      s.storageEntries[name] ??= { hostPath: path ?? `${STORAGE_DIR}/${name}`, createdAt: Date.now(), ...(chown.value ? { chown: chown.value } : {}) };
    });
    info1(`Storage entry ${name} created`);
  },
  "storage:destroy": ({ args }) => {
    const name = requireEntry(args.filter((a) => !a.startsWith("--"))[0]);
    const state = readState();
    const using = Object.entries(state.apps)
      .filter(([app]) => rowsOf(state, app).some((r) => r.entry_name === name))
      .map(([app]) => app);
    if (using.length > 0) fail(`storage entry "${name}" is still mounted by app(s): ${using.join(", ")}`);
    if (!args.includes("--force")) fail("Confirmation did not match storage entry. Aborted.");
    const host = state.storageEntries![name]!.hostPath;
    updateState((s) => void delete s.storageEntries![name]);
    if (args.includes("--destroy-host-dir")) verbose(`Removed ${host}`);
    info1(`Storage entry ${name} destroyed`);
  },
  "storage:list-entries": ({ args }) => {
    const { format } = takeFormat(args);
    const names = Object.keys(readState().storageEntries ?? {}).sort();
    if (format === "json") return out(JSON.stringify(names.map(entryJson), null, 2));
    if (names.length === 0) return info1("No storage entries registered");
    info1("Storage entries:");
    for (const n of names) verbose(`${n}\tdocker-local\t${readState().storageEntries![n]!.hostPath}`);
  },
  "storage:info": ({ args }) => {
    const { format, rest } = takeFormat(args);
    const name = requireEntry(rest[0]);
    if (format === "json") return out(JSON.stringify(entryJson(name), null, 2));
    info1(`Storage entry ${name}`);
    verbose(`Scheduler:        docker-local`);
    verbose(`Host path:        ${readState().storageEntries![name]!.hostPath}`);
  },
};

export const storageCommands: Record<string, Command> = {
  "storage:list": storageList,
  "storage:mount": storageMount,
  "storage:unmount": storageUnmount,
  "storage:ensure-directory": storageEnsureDirectory,
};

/** The entry commands exist from 0.38.0 only (else "not a dokku command"). */
export function storageCommand(name: string): Command | undefined {
  return versionAtLeast(GO) ? entryCommands[name] : undefined;
}
