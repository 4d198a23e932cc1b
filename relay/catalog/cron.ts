import { z } from "zod";
import { CRON_SINCE, timeZone, type CronTask } from "../../protocol/ops/cron.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { requireSince, unlessMissing } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag } from "../process/argv-guard.js";
import type { CatalogEntry, OpContext } from "./types.js";

/**
 * The cron plugin (plugins/cron of dokku/dokku, Go with spf13/pflag). `cron:list --format json`
 * prints one JSON array on stdout (common.Log of json.Marshal in CommandList,
 * plugins/cron/subcommands.go): TemplateCommand's fields through 0.36, CronTask's from 0.37
 * (plugins/cron/cron.go). A task with no command or schedule is skipped with a ` !     ` warning on
 * stderr, which is not the list.
 */
const listed = z.array(
  z.object({
    id: z.string(),
    app: z.string().default(""),
    command: z.string(),
    schedule: z.string(),
    global: z.boolean().default(false),
    concurrency_policy: z.string().default(""),
    maintenance: z.boolean().default(false),
    "app-in-maintenance": z.boolean().default(false),
  }),
);

/** cron:list's JSON as tasks; output in no known form throws (a list that cannot be read is not an empty one). */
export function parseCronList(stdout: string): CronTask[] {
  return listed.parse(JSON.parse(stdout.trim() || "[]")).map((t) => ({
    id: t.id,
    app: t.app,
    command: t.command,
    schedule: t.schedule,
    concurrency: t.concurrency_policy,
    suspended: t.maintenance,
    appSuspended: t["app-in-maintenance"],
    global: t.global,
  }));
}

function readList(stdout: string): CronTask[] {
  try {
    return parseCronList(stdout);
  } catch (e) {
    throw new OpFailure("dokku_error", `cron:list printed output the relay could not read: ${(e as Error).message.slice(0, 200)}`);
  }
}

/**
 * The zone the host's cron daemon reads schedules in: the relay runs on the host, and its own zone
 * is the host's (/etc/localtime, as the daemon's; or TZ when its unit sets one). Undefined when the
 * runtime names none a page could use.
 */
export function hostZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return timeZone.safeParse(zone).success ? zone : undefined;
}

export const cronList: CatalogEntry<"cron.list"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["cron:list", app, flag("--format"), "json"]);
    failIfFailed(res, app);
    const canSuspend = ctx.dokkuVersion === null || versionAtLeast(ctx.dokkuVersion, CRON_SINCE.suspend);
    return { tasks: readList(res.stdout), canSuspend, zone: hostZone() };
  },
};

/** Before 0.36.7 pflag refuses `--global` ("unknown flag: --global", exit 2): refused first, naming the version. */
export const cronGlobal: CatalogEntry<"cron.global"> = {
  async run(ctx) {
    requireSince(ctx, "cron:list --global", CRON_SINCE.global);
    const res = await ctx.dokku(["cron:list", flag("--global"), flag("--format"), "json"]);
    failIfFailed(res);
    return { tasks: readList(res.stdout) };
  },
};

/**
 * cron:run streams the task's container (the scheduler-run trigger with StreamStdio); a failed run
 * exits 1 with an empty error (CommandRun returns errors.New("") so nothing is printed twice), so
 * the message is the run's own last lines (failureMessage). An unknown id: "No matching Cron ID
 * found…". CommandRun verifies the app itself (exit 20).
 */
export const cronRun: CatalogEntry<"cron.run"> = {
  async run(ctx, { app, id }) {
    return commandResult(await ctx.dokku(["cron:run", app, id]), app);
  },
};

/**
 * cron:suspend/resume (0.37.0+) are cron:set of `maintenance.ID` (CommandSuspend, CommandResume),
 * which looks the id up before it verifies the app: a missing app would read as "no matching task
 * ID", so `apps:exists` goes first.
 */
async function maintenance(ctx: OpContext, command: "cron:suspend" | "cron:resume", app: string, id: string) {
  requireSince(ctx, command, CRON_SINCE.suspend);
  failIfFailed(await ctx.dokku(["apps:exists", app]), app);
  return commandResult(unlessMissing(await ctx.dokku([command, app, id]), command, CRON_SINCE.suspend, ctx.dokkuVersion), app);
}

export const cronSuspend: CatalogEntry<"cron.suspend"> = { run: (ctx, { app, id }) => maintenance(ctx, "cron:suspend", app, id) };
export const cronResume: CatalogEntry<"cron.resume"> = { run: (ctx, { app, id }) => maintenance(ctx, "cron:resume", app, id) };
