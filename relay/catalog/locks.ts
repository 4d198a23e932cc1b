import { commandResult } from "../dokku/output.js";
import type { CatalogEntry } from "./types.js";

/** `apps:lock APP` (CommandLock in plugins/apps/subcommands.go of dokku/dokku): "-----> Deploy lock created". */
export const appsLock: CatalogEntry<"apps.lock"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["apps:lock", app]), app);
  },
};
