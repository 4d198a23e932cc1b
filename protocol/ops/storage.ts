import { z } from "zod";
import { hostPathRefusal, HOST_PATH_CHARS, normaliseHostPath, VOLUME_NAME } from "../host-paths.js";
import { appName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read, reportFormat } from "./spec.js";

/**
 * An app's storage (the storage plugin of dokku/dokku: bash in plugins/storage before 0.38.0, Go
 * from 0.38.0 with named storage entries). Every change here reaches beyond one app into the host's
 * disk, so each is host-root; mounted host paths are checked by protocol/host-paths.ts.
 */

const HOST_PATH = "a host path is absolute (/srv/data) or a docker volume name, and holds letters, digits, '.', '_', '-', '@', '+', '/'";

/** A host directory to mount: normalised, then refused with why when it would hand the app the host. */
export const mountHostPath = z
  .string()
  .max(1024, HOST_PATH)
  .refine((p) => HOST_PATH_CHARS.test(p) || VOLUME_NAME.test(p), HOST_PATH)
  .transform((p) => (p.startsWith("/") ? normaliseHostPath(p) : p))
  .superRefine((p, ctx) => {
    const why = p.startsWith("/") ? hostPathRefusal(p) : null;
    if (why) ctx.addIssue({ code: "custom", message: `${p} may not be mounted: ${why}` });
  });

/** A host path as Dokku lists a mount (not normalised: unmount names exactly what is there, whatever it is). */
export const listedHostPath = z
  .string()
  .max(1024, HOST_PATH)
  .refine((p) => HOST_PATH_CHARS.test(p) || VOLUME_NAME.test(p), HOST_PATH);

const CONTAINER_PATH = "a container path is absolute (/app/storage), not /, and holds letters, digits, '.', '_', '-', '@', '+', '/'";
export const containerPath = z
  .string()
  .max(1024, CONTAINER_PATH)
  .regex(HOST_PATH_CHARS, CONTAINER_PATH)
  .transform(normaliseHostPath)
  .refine((p) => p !== "/", CONTAINER_PATH);

/** Mount options as Dokku keeps them after the second ':' (ro, z, Z, nocopy…). */
const mountOptions = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9,]*$/, "mount options are letters and digits separated by commas");

/** storage:ensure-directory's directory (cmd-storage-ensure-directory; ValidateDirectoryName in plugins/storage). */
export const storageDirName = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "a directory name holds letters, digits, '_' and '-'")
  .refine((n) => !n.startsWith("-"), "a directory name may not start with '-'");

/** The owners ensure-directory and storage:create know (ResolveChownID in plugins/storage/subcommands.go). */
export const CHOWN_OPTIONS = ["herokuish", "heroku", "paketo", "root", "false"] as const;
export const chownOption = z.enum(CHOWN_OPTIONS, { error: `the owner is one of ${CHOWN_OPTIONS.join(", ")}` });

const ENTRY = "a storage entry name is a DNS label: a-z, 0-9 and '-', at most 45, not starting or ending with '-'";
/** A named storage entry as Dokku lists it (ValidateEntryName in plugins/storage/entry.go, 0.38+), `legacy-…` included. */
export const storageEntryName = z
  .string()
  .max(45, ENTRY)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, ENTRY);
/** A new entry's name: not the `legacy-` prefix Dokku keeps for mounts made by path. */
const newEntryName = storageEntryName.refine((n) => !n.startsWith("legacy-"), "names starting with legacy- are Dokku's own (mounts made by path)");

/** Named entries and their commands arrived in Dokku 0.38.0 (plugins/storage/commands_entries.go). */
export const STORAGE_ENTRIES_SINCE = "0.38.0";

/** One mount of the app, as storage:list shows it. */
export const storageMount = z.object({
  hostPath: z.string(),
  containerPath: z.string(),
  readonly: z.boolean(),
  /** Options beyond ro (z, Z, nocopy…), comma-separated. */
  options: z.string(),
  /** The storage entry it comes from (0.38: `legacy-…` for a mount made by path), null before 0.38. */
  entry: z.string().nullable(),
});
export type StorageMount = z.infer<typeof storageMount>;

/** One named storage entry (Entry in plugins/storage/entry.go). */
export const storageEntry = z.object({
  name: z.string(),
  scheduler: z.string(),
  hostPath: z.string(),
  chown: z.string(),
  mode: z.string(),
  reclaimPolicy: z.string(),
});
export type StorageEntry = z.infer<typeof storageEntry>;

const mountArgs = z
  .object({ app: appName, hostPath: mountHostPath.optional(), entry: storageEntryName.optional(), containerPath, readonly: z.boolean().optional() })
  .strict()
  .refine((a) => (a.hostPath === undefined) !== (a.entry === undefined), "name a host path or a storage entry, not both");

const unmountArgs = z
  .object({
    app: appName,
    hostPath: listedHostPath.optional(),
    entry: storageEntryName.optional(),
    containerPath: z.string().max(1024).regex(HOST_PATH_CHARS, CONTAINER_PATH),
    options: mountOptions.optional(),
  })
  .strict()
  .refine((a) => (a.hostPath === undefined) !== (a.entry === undefined), "name a host path or a storage entry, not both");

// on 0.35 a mount is a `-v` docker option of the deploy and run phases (add_passed_docker_option)
const invalidates = ["storage.list", "docker-options.report"];

export const storageOps = {
  /** `storage:list APP --format json` (the deploy phase's mounts; bash before 0.38.0, Go from it). */
  "storage.list": read({
    access: { scope: "app", area: "storage" },
    args: appOnly,
    result: z.object({ mounts: z.array(storageMount), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `storage:mount APP HOST:CONTAINER[:ro]`, or (0.38) `storage:mount APP ENTRY --container-dir PATH`. Applies at the next deploy. */
  "storage.mount": change({
    access: { scope: "app", area: "storage", hostRoot: true },
    title: (a) => `Mount ${a.hostPath ?? a.entry} at ${a.containerPath} in ${a.app}`,
    args: mountArgs,
    timeoutMs: 60_000,
    streams: false,
    invalidates,
  }),
  /** `storage:unmount APP HOST:CONTAINER[:OPTIONS]` exactly as listed, or (0.38) `storage:unmount APP ENTRY --container-dir PATH`. */
  "storage.unmount": change({
    access: { scope: "app", area: "storage", hostRoot: true },
    title: (a) => `Unmount ${a.containerPath} from ${a.app}`,
    args: unmountArgs,
    timeoutMs: 60_000,
    streams: false,
    invalidates,
  }),
  /** `storage:ensure-directory --chown OWNER NAME`: Dokku makes /var/lib/dokku/data/storage/NAME and sets its owner. */
  "storage.ensureDirectory": change({
    access: { scope: "host", area: "storage", hostRoot: true },
    title: (a) => `Make the storage directory ${a.name}`,
    args: z.object({ name: storageDirName, chown: chownOption }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["storage.entries"],
  }),
  /** `storage:list-entries --format json` (0.38.0+): the host's named storage entries. */
  "storage.entries": read({
    access: { scope: "host", area: "storage" },
    args: noArgs,
    result: z.object({ entries: z.array(storageEntry) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `storage:info NAME --format json` (0.38.0+): one entry. */
  "storage.info": read({
    access: { scope: "host", area: "storage" },
    args: z.object({ name: storageEntryName }).strict(),
    result: storageEntry,
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `storage:create NAME [PATH] [--chown OWNER]` (0.38.0+): registers an entry; without a path Dokku uses its storage folder. */
  "storage.create": change({
    access: { scope: "host", area: "storage", hostRoot: true },
    title: (a) => `Create the storage entry ${a.name}`,
    args: z.object({ name: newEntryName, hostPath: mountHostPath.optional(), chown: chownOption.optional() }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["storage.entries", "storage.info"],
  }),
  /** `storage:destroy NAME --force [--destroy-host-dir]` (0.38.0+): Dokku refuses while an app mounts it. */
  "storage.destroy": change({
    access: { scope: "host", area: "storage", hostRoot: true },
    title: (a) => `Destroy the storage entry ${a.name}`,
    args: z.object({ name: storageEntryName, destroyHostDir: z.boolean() }).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["storage.entries", "storage.info"],
  }),
} as const;
