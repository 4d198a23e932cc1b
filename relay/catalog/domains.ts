import { bangLines } from "../dokku/output.js";
import { parseReports } from "../dokku/report.js";
import { domainsOf } from "./apps.js";
import { commandResult, failIfFailed, type CatalogEntry } from "./types.js";

/** domains:report APP: text (bash, 30-column padding) before 0.38.0, `--format json` from 0.38.0. */
export const domainsReport: CatalogEntry<"domains.report"> = {
  async run(ctx, { app }) {
    return domainsOf(ctx, app);
  },
};

/** `domains:report` for all apps: one block per app, read by its `=====> APP domains information` header. */
export const domainsAll: CatalogEntry<"domains.all"> = {
  async run(ctx) {
    const res = await ctx.dokku(["domains:report"]);
    // No apps: a warning on stderr and exit 0 (or 1 on old versions), nothing to list.
    if (bangLines(res.stderr).some((l) => l.startsWith("You haven't deployed any applications yet"))) return { domains: {} };
    failIfFailed(res);
    const domains: Record<string, string[]> = {};
    for (const block of parseReports(res.stdout)) {
      if (block.report !== "domains") continue;
      domains[block.app] = (block.fields["domains-app-vhosts"] ?? "").split(/\s+/).filter(Boolean);
    }
    return { domains };
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
