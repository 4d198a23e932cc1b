import { realpathSync } from "node:fs";
import { z } from "zod";
import { hostPathRefusal } from "../../protocol/host-paths.js";
import { STORAGE_ENTRIES_SINCE, type StorageEntry, type StorageMount } from "../../protocol/ops/storage.js";
import { OpFailure } from "../dokku/failure.js";
import { commandResult, failIfFailed, failureMessage } from "../dokku/output.js";
import { requireSince, unlessMissing } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag, type Arg } from "../process/argv-guard.js";
import type { RunResult } from "../process/run.js";
import type { CatalogEntry, OpContext } from "./types.js";

/** `storage:list --format json` arrived in 0.29.3 (cmd-storage-list in plugins/storage/internal-functions of dokku/dokku). */
const LIST_JSON_SINCE = "0.29.3";

/**
 * A JSON row of storage:list: 0.35's bash trigger storage-list (plugins/storage/storage-list, jq:
 * host_path, container_path, volume_options always), 0.38's StorageListEntry (plugins/storage/storage.go:
 * entry_name, readonly and volume_options omitted when empty; `ro` hoisted into readonly).
 */
const listRow = z.object({
  entry_name: z.string().optional(),
  host_path: z.string(),
  container_path: z.string(),
  readonly: z.boolean().optional(),
  volume_options: z.string().optional(),
});

/** `host:container[:options]` (formatStorageListEntry / ParseMountPath in plugins/storage/storage.go): `ro` is read-only, the rest stays options. */
function fromColonForm(line: string): StorageMount {
  const [hostPath, containerPath, opts] = splitColon(line);
  const tokens = opts.split(",").filter((t) => t !== "");
  return { hostPath, containerPath, readonly: tokens.includes("ro"), options: tokens.filter((t) => t !== "ro").join(","), entry: null };
}

/** SplitN(mountPath, ":", 3). */
function splitColon(s: string): [string, string, string] {
  const a = s.indexOf(":");
  const b = a < 0 ? -1 : s.indexOf(":", a + 1);
  if (a < 0) return [s, "", ""];
  if (b < 0) return [s.slice(0, a), s.slice(a + 1), ""];
  return [s.slice(0, a), s.slice(a + 1, b), s.slice(b + 1)];
}

/** A failed storage command: Dokku's Go plugin says `storage entry "x" does not exist` for a missing entry (exit 1). */
function entryFailure(res: RunResult, app?: string): void {
  if (res.exitCode !== 0 && res.exitCode !== 20 && res.stopped === null && /storage entry "[^"]*" does not exist/.test(res.stderr)) {
    throw new OpFailure("not_found", failureMessage(res.stderr, res.stdout));
  }
  failIfFailed(res, app);
}

/**
 * `storage:list APP`: JSON from 0.29.3 (0.35 pretty-printed by jq, 0.38 one line from Go); with an
 * unknown version the text form, one `host:container[:options]` per line (0.35 bare with no
 * --format, 0.38 under an `=====> APP volume bind-mounts:` header, indented).
 */
export const storageList: CatalogEntry<"storage.list"> = {
  async run(ctx, { app }) {
    const json = versionAtLeast(ctx.dokkuVersion, LIST_JSON_SINCE);
    const res = await ctx.dokku(json ? ["storage:list", app, flag("--format"), "json"] : ["storage:list", app]);
    failIfFailed(res, app);
    if (!json) {
      const lines = res.stdout.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("=====>") && !l.startsWith("----->"));
      return { mounts: lines.map((l) => fromColonForm(l.trim())), format: "text" };
    }
    let rows: z.infer<typeof listRow>[];
    try {
      rows = z.array(listRow).parse(JSON.parse(res.stdout.trim() || "[]"));
    } catch (e) {
      throw new OpFailure("dokku_error", `storage:list printed JSON the relay could not read: ${(e as Error).message.slice(0, 200)}`);
    }
    const mounts = rows.map((r): StorageMount => {
      const tokens = (r.volume_options ?? "").split(",").filter((t) => t !== "");
      return {
        hostPath: r.host_path,
        containerPath: r.container_path,
        readonly: r.readonly === true || tokens.includes("ro"),
        options: tokens.filter((t) => t !== "ro").join(","),
        entry: r.entry_name ?? null,
      };
    });
    return { mounts, format: "json" };
  },
};

/**
 * The relay's own look at a host path before it is mounted: the op's schema already refused the
 * path as typed (normalised); where it exists on this host, the directory it really is (symlinks
 * resolved) is checked again, so /srv/etc → /etc is refused too.
 */
function checkOnHost(hostPath: string | undefined): void {
  if (hostPath === undefined || !hostPath.startsWith("/")) return;
  let real: string;
  try {
    real = realpathSync(hostPath);
  } catch {
    return; // not there yet: Docker makes it, as the path typed (already checked)
  }
  const why = real === hostPath ? null : hostPathRefusal(real);
  if (why) throw new OpFailure("bad_request", `${hostPath} is ${real} on this host and may not be mounted: ${why}. Nothing was run.`);
}

/**
 * `storage:mount APP HOST:CONTAINER[:ro]` (cmd-storage-mount in plugins/storage/subcommands/mount on
 * 0.35, mountLegacyColon in plugins/storage/subcommands.go on 0.38: silent on success, "Mount path
 * already exists." when it is); a named entry (0.38.0+) with `--container-dir` (CommandMount).
 */
export const storageMount: CatalogEntry<"storage.mount"> = {
  async run(ctx, { app, hostPath, entry, containerPath, readonly }) {
    checkOnHost(hostPath);
    let argv: Arg[];
    if (entry !== undefined) {
      requireSince(ctx, "storage:mount APP ENTRY", STORAGE_ENTRIES_SINCE);
      argv = ["storage:mount", app, entry, flag("--container-dir"), containerPath, ...(readonly ? [flag("--volume-readonly")] : [])];
    } else {
      argv = ["storage:mount", app, `${hostPath}:${containerPath}${readonly ? ":ro" : ""}`];
    }
    const res = await ctx.dokku(argv);
    entryFailure(res, app);
    return commandResult(res, app);
  },
};

/** `storage:unmount APP HOST:CONTAINER[:OPTIONS]` exactly as listed ("Mount path does not exist." when not), or a named entry's mount (0.38.0+). */
export const storageUnmount: CatalogEntry<"storage.unmount"> = {
  async run(ctx, { app, hostPath, entry, containerPath, options }) {
    let argv: Arg[];
    if (entry !== undefined) {
      requireSince(ctx, "storage:unmount APP ENTRY", STORAGE_ENTRIES_SINCE);
      argv = ["storage:unmount", app, entry, flag("--container-dir"), containerPath];
    } else {
      argv = ["storage:unmount", app, `${hostPath}:${containerPath}${options ? `:${options}` : ""}`];
    }
    const res = await ctx.dokku(argv);
    entryFailure(res, app);
    return commandResult(res, app);
  },
};

/**
 * `storage:ensure-directory --chown OWNER NAME` (cmd-storage-ensure-directory in
 * plugins/storage/internal-functions on 0.35, CommandEnsureDirectory in plugins/storage/subcommands.go
 * on 0.38, which also warns it is deprecated in favour of storage:create): makes
 * /var/lib/dokku/data/storage/NAME and sets its owner.
 */
export const storageEnsureDirectory: CatalogEntry<"storage.ensureDirectory"> = {
  async run(ctx, { name, chown }) {
    return commandResult(await ctx.dokku(["storage:ensure-directory", flag("--chown"), chown, name]));
  },
};

/** Entry in plugins/storage/entry.go as JSON (json.MarshalIndent; empty fields omitted). */
const entryJson = z.object({
  name: z.string(),
  scheduler: z.string(),
  host_path: z.string().optional(),
  chown: z.string().optional(),
  mode: z.string().optional(),
  reclaim_policy: z.string().optional(),
});

function toEntry(e: z.infer<typeof entryJson>): StorageEntry {
  return { name: e.name, scheduler: e.scheduler, hostPath: e.host_path ?? "", chown: e.chown ?? "", mode: e.mode ?? "", reclaimPolicy: e.reclaim_policy ?? "" };
}

function parseJson<T extends z.ZodType>(schema: T, stdout: string, command: string): z.output<T> {
  try {
    return schema.parse(JSON.parse(stdout));
  } catch (e) {
    throw new OpFailure("dokku_error", `${command} printed JSON the relay could not read: ${(e as Error).message.slice(0, 200)}`);
  }
}

/** Run a 0.38.0+ storage command: refused before running on an older known Dokku, "not a dokku command" read as the same. */
async function since038(ctx: OpContext, command: string, argv: Arg[]): Promise<RunResult> {
  requireSince(ctx, command, STORAGE_ENTRIES_SINCE);
  return unlessMissing(await ctx.dokku(argv), command, STORAGE_ENTRIES_SINCE, ctx.dokkuVersion);
}

/** `storage:list-entries --format json` (CommandListEntries in plugins/storage/commands_entries.go): an array, `[]` when none. */
export const storageEntries: CatalogEntry<"storage.entries"> = {
  async run(ctx) {
    const res = await since038(ctx, "storage:list-entries", ["storage:list-entries", flag("--format"), "json"]);
    failIfFailed(res);
    return { entries: parseJson(z.array(entryJson).nullable(), res.stdout.trim() || "[]", "storage:list-entries")?.map(toEntry) ?? [] };
  },
};

/** `storage:info NAME --format json` (CommandInfo in plugins/storage/commands_entries.go). */
export const storageInfo: CatalogEntry<"storage.info"> = {
  async run(ctx, { name }) {
    const res = await since038(ctx, "storage:info", ["storage:info", name, flag("--format"), "json"]);
    entryFailure(res);
    return toEntry(parseJson(entryJson, res.stdout, "storage:info"));
  },
};

/** `storage:create NAME [PATH] [--chown OWNER]` (CommandCreate): "-----> Storage entry NAME created". */
export const storageCreate: CatalogEntry<"storage.create"> = {
  async run(ctx, { name, hostPath, chown }) {
    checkOnHost(hostPath);
    const argv: Arg[] = ["storage:create", name, ...(hostPath ? [hostPath] : []), ...(chown ? [flag("--chown"), chown] : [])];
    return commandResult(await since038(ctx, "storage:create", argv));
  },
};

/**
 * `storage:destroy NAME --force [--destroy-host-dir]` (CommandDestroy): the page asked for the
 * confirmation Dokku would ask on a terminal; Dokku still refuses while an app mounts the entry.
 */
export const storageDestroy: CatalogEntry<"storage.destroy"> = {
  async run(ctx, { name, destroyHostDir }) {
    const res = await since038(ctx, "storage:destroy", ["storage:destroy", name, flag("--force"), ...(destroyHostDir ? [flag("--destroy-host-dir")] : [])]);
    entryFailure(res);
    return commandResult(res);
  },
};
