import { z } from "zod";
import { CRON_SINCE, timeZone, type CronTask } from "../../protocol/ops/cron.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { missingCommandMessage, requireSince, unlessMissing } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag, type Arg } from "../process/argv-guard.js";
import { appNames } from "./apps.js";
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

/**
 * A list of tasks, or Dokku's reason it could not give one; null when the app no longer exists
 * (exit 20). A timeout or a cancel ends the whole read.
 */
async function listPart(ctx: OpContext, argv: Arg[], app?: string): Promise<{ tasks: CronTask[]; error: string | null } | null> {
  const res = await ctx.dokku(argv);
  try {
    failIfFailed(res, app);
    return { tasks: readList(res.stdout), error: null };
  } catch (e) {
    if (!(e instanceof OpFailure)) throw e;
    if (e.code === "not_found" && app) return null;
    if (e.code === "dokku_error" || e.code === "not_found") return { tasks: [], error: e.message };
    throw e;
  }
}

/**
 * cron.host: `apps:list`, then each app's `cron:list` and `cron:list --global` together (as many
 * at once as the relay's read slots allow). Before 0.36.7 pflag refuses `--global` ("unknown flag:
 * --global", exit 2): it is not run, and the global part says which version it needs. An app
 * destroyed between the calls (exit 20) is left out; one whose list failed says why, without
 * hiding the others.
 */
export const cronHost: CatalogEntry<"cron.host"> = {
  async run(ctx) {
    const hasGlobal = ctx.dokkuVersion === null || versionAtLeast(ctx.dokkuVersion, CRON_SINCE.global);
    const unavailable = { tasks: [], error: missingCommandMessage("cron:list --global", CRON_SINCE.global, ctx.dokkuVersion) };
    const global = hasGlobal ? listPart(ctx, ["cron:list", flag("--global"), flag("--format"), "json"]) : Promise.resolve(unavailable);
    const perApp = async () => {
      const list = await ctx.dokku([flag("--quiet"), "apps:list"]);
      failIfFailed(list);
      return Promise.all(
        appNames(list.stdout).map(async (app) => {
          const part = await listPart(ctx, ["cron:list", app, flag("--format"), "json"], app);
          return part && { app, ...part };
        }),
      );
    };
    // together, so a failure of either is the read's, and the other's is not left unhandled
    const [globalPart, parts] = await Promise.all([global, perApp()]);
    const canSuspend = ctx.dokkuVersion === null || versionAtLeast(ctx.dokkuVersion, CRON_SINCE.suspend);
    return { global: globalPart!, apps: parts.filter((p) => p !== null), canSuspend, zone: hostZone() };
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
