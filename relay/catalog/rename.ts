import { commandResult } from "../dokku/output.js";
import { flag, type Arg } from "../process/argv-guard.js";
import type { CatalogEntry } from "./types.js";

/**
 * `apps:rename [--skip-deploy] OLD NEW` and `apps:clone [--skip-deploy] [--ignore-existing] OLD NEW`
 * (plugins/apps/src/subcommands/subcommands.go of dokku/dokku). Their flags are Go's `flag`
 * package, which stops at the first operand: the flags go before the names. Both fail with "Name is
 * already taken" when NEW exists (CommandRename, CommandClone in plugins/apps/subcommands.go); a
 * clone with --ignore-existing warns it and exits 0 instead, which the page shows as a warning.
 */
export const appsRename: CatalogEntry<"apps.rename"> = {
  async run(ctx, { app, newName, skipDeploy }) {
    const flags: Arg[] = skipDeploy ? [flag("--skip-deploy")] : [];
    return commandResult(await ctx.dokku(["apps:rename", ...flags, app, newName]), app);
  },
};

export const appsClone: CatalogEntry<"apps.clone"> = {
  async run(ctx, { app, newName, skipDeploy, ignoreExisting }) {
    const flags: Arg[] = [...(skipDeploy ? [flag("--skip-deploy")] : []), ...(ignoreExisting ? [flag("--ignore-existing")] : [])];
    return commandResult(await ctx.dokku(["apps:clone", ...flags, app, newName]), app);
  },
};
