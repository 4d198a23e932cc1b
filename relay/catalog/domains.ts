import { domainsOf } from "./apps.js";
import { commandResult, type CatalogEntry } from "./types.js";

/** domains:report APP: text (bash, 30-column padding) before 0.38.0, `--format json` from 0.38.0. */
export const domainsReport: CatalogEntry<"domains.report"> = {
  async run(ctx, { app }) {
    return domainsOf(ctx, app);
  },
};

export const domainsAdd: CatalogEntry<"domains.add"> = {
  async run(ctx, { app, domains }) {
    return commandResult(await ctx.dokku(["domains:add", app, ...domains], { stream: true }), app);
  },
};

export const domainsRemove: CatalogEntry<"domains.remove"> = {
  async run(ctx, { app, domains }) {
    return commandResult(await ctx.dokku(["domains:remove", app, ...domains], { stream: true }), app);
  },
};
