import { z } from "zod";
import { appName, listedAppName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read } from "./spec.js";

/**
 * Cron tasks (the cron plugin, Go: plugins/cron of dokku/dokku). An app's tasks come from the
 * `cron` list of its app.json, read at deploy; Dokku names each by an id (base36 of
 * `APP===COMMAND===SCHEDULE`, GenerateCommandID in plugins/cron/cron.go). `--global` lists the tasks
 * other plugins inject (the `cron-entries` trigger, FetchGlobalCronTasks).
 */

/** The version each younger form arrived in (plugins/cron/src/subcommands/subcommands.go by tag). */
export const CRON_SINCE = { global: "0.36.7", suspend: "0.37.0" } as const;

/** A task id as Dokku makes it: lowercase base36 (go-base36's EncodeToStringLc). */
export const cronId = z
  .string()
  .min(1)
  .max(600, "a cron id is at most 600 characters")
  .regex(/^[a-z0-9]+$/, "a cron id holds only a-z and 0-9, as cron:list prints it");

/**
 * One task as `cron:list --format json` prints it. Through 0.36 (TemplateCommand): id, app,
 * command, schedule. From 0.37 (CronTask): also its concurrency policy and whether it is suspended
 * (`maintenance`: the task's own `task-in-maintenance` or the whole app's `app-in-maintenance`);
 * absent fields read as false / "" (a global task's policy is printed "").
 */
export const cronTask = z.object({
  id: cronId,
  /** The app it belongs to; "" for a global task. */
  app: z.string(),
  command: z.string(),
  schedule: z.string(),
  /** Set from 0.37: "allow", "forbid", "replace" ("" for a global task or an older Dokku). */
  concurrency: z.string(),
  /** Suspended (0.37+): the task itself, or the app's whole cron. */
  suspended: z.boolean(),
  /** Suspended because the app's whole cron is (cron:set APP maintenance true), not the task alone. */
  appSuspended: z.boolean(),
  global: z.boolean(),
});
export type CronTask = z.infer<typeof cronTask>;

/**
 * The host's time zone as an IANA name ("UTC", "Europe/Berlin"): Dokku writes its tasks into the
 * host's crontab without a CRON_TZ (plugins/cron/templates/cron.tmpl), so the host's cron daemon
 * reads each schedule in the host's local zone (UTC unless its operator set one).
 */
export const timeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "a time zone is an IANA name such as UTC or Europe/Berlin");

/** One list of tasks, or why it could not be read. */
const cronPart = z.object({ tasks: z.array(cronTask), error: z.string().max(2000).nullable() });

const cronArgs = z.object({ app: appName, id: cronId }).strict();
const short = (id: string) => (id.length > 12 ? `${id.slice(0, 12)}…` : id);

export const cronOps = {
  /** `cron:list APP --format json` (every supported version). */
  "cron.list": read({
    access: { scope: "app", area: "cron" },
    args: appOnly,
    // zone: absent from a relay older than it (the page then says the zone is unknown)
    result: z.object({ tasks: z.array(cronTask), canSuspend: z.boolean(), zone: timeZone.optional() }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /**
   * Every task on the host: each app's (`cron:list APP --format json`, one per app: Dokku has no
   * one command for them) and the global ones other plugins inject (`cron:list --global`, 0.36.7+,
   * which lists only those: FetchGlobalCronTasks in plugins/cron/cron.go).
   */
  "cron.host": read({
    access: { scope: "host", area: "cron" },
    args: noArgs,
    result: z.object({
      /** The global tasks; `error` says why they could not be listed (older than 0.36.7, or Dokku failed). */
      global: cronPart,
      /** Each app's tasks, in apps:list's order (a legacy name included); an app whose list failed (an app.json Dokku refuses) carries why. */
      apps: z.array(cronPart.extend({ app: listedAppName })),
      canSuspend: z.boolean(),
      zone: timeZone.optional(),
    }),
    // one cron:list per app, a few at a time (the relay's read slots)
    timeoutMs: 120_000,
    freshMs: FRESH_MS,
  }),
  /** `cron:run APP ID`: the task now, in a one-off container, its output streamed. */
  "cron.run": change({
    access: { scope: "app", area: "cron" },
    title: (a: { app: string; id: string }) => `Run cron task ${short(a.id)} of ${a.app}`,
    args: cronArgs,
    // DOKKU_RUN_TTL_SECONDS is 86400 for a cron run (CommandRun); an hour here, Cancel stops it sooner
    timeoutMs: 3_600_000,
    streams: true,
    // nothing Dokku reports changes; the list is read again so the page shows the task as it is now
    invalidates: ["cron.list", "cron.host"],
  }),
  /** `cron:suspend APP ID` (0.37.0+): the task stays listed and stops running on its schedule. */
  "cron.suspend": change({
    access: { scope: "app", area: "cron" },
    title: (a: { app: string; id: string }) => `Suspend cron task ${short(a.id)} of ${a.app}`,
    args: cronArgs,
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["cron.list", "cron.host"],
  }),
  /** `cron:resume APP ID` (0.37.0+). */
  "cron.resume": change({
    access: { scope: "app", area: "cron" },
    title: (a: { app: string; id: string }) => `Resume cron task ${short(a.id)} of ${a.app}`,
    args: cronArgs,
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["cron.list", "cron.host"],
  }),
} as const;
