import type { BuildRecord } from "../../protocol/ops.js";
import { BUILDS_SINCE, parseBuildInfo, parseBuildList } from "../dokku/builds.js";
import { OpFailure } from "../dokku/failure.js";
import { commandResult, failIfFailed, isNotACommand } from "../dokku/output.js";
import { flag } from "../process/argv-guard.js";
import type { RunResult } from "../process/run.js";
import type { CatalogEntry, OpContext } from "./types.js";

/** A build log is kept whole up to this many characters (its tail beyond): what a page can show. */
const OUTPUT_KEPT = 512 * 1024;

/** Dokku before 0.38 has no builds plugin: its answer to `builds:*` is the one for any unknown command. */
function unlessMissing(res: RunResult, app: string): void {
  if (isNotACommand(res)) throw new OpFailure("unavailable", `this host's Dokku keeps no build records (builds:* came in Dokku ${BUILDS_SINCE})`);
  failIfFailed(res, app);
}

/** `builds:list APP --format json`, parsed (plugins/builds/subcommands.go CommandList). */
export async function listBuilds(ctx: OpContext, app: string): Promise<BuildRecord[]> {
  const res = await ctx.dokku(["builds:list", app, flag("--format"), "json"]);
  unlessMissing(res, app);
  return parseBuildList(res.stdout);
}

/** `builds:info APP ID --format json`; a missing record is not_found ("No build record found for APP/ID", exit 1, in CommandInfo). */
async function buildInfo(ctx: OpContext, app: string, id: string): Promise<BuildRecord> {
  const res = await ctx.dokku(["builds:info", app, id, flag("--format"), "json"]);
  if (res.exitCode === 1 && /No build record found/.test(res.stderr)) throw new OpFailure("not_found", `Dokku has no record of build ${id} of ${app}`);
  unlessMissing(res, app);
  return parseBuildInfo(res.stdout);
}

export const buildsList: CatalogEntry<"builds.list"> = {
  async run(ctx, { app }) {
    return { builds: await listBuilds(ctx, app) };
  },
};

/**
 * The record first (builds:info), then its log (CommandOutput in plugins/builds/subcommands.go:
 * `cat` of the log file for a build that ended, `tail -f` for one still running — which never
 * ends, so a running build's output is refused here and read once it ended).
 */
export const buildsOutput: CatalogEntry<"builds.output"> = {
  async run(ctx, { app, id }) {
    const build = await buildInfo(ctx, app, id);
    if (build.status === "running") throw new OpFailure("bad_request", `build ${id} of ${app} is still running: its output can be read once it ends`);
    const res = await ctx.dokku(["builds:output", app, id], { keepTail: OUTPUT_KEPT });
    unlessMissing(res, app);
    return { build, output: res.stdout };
  },
};

/** `builds:cancel APP` (CommandCancel): signals the running deploy's process group; with none it says so and exits 0. */
export const buildsCancel: CatalogEntry<"builds.cancel"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["builds:cancel", app]);
    unlessMissing(res, app);
    return commandResult(res, app);
  },
};
