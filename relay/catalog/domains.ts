import { z } from "zod";
import type { OpResult } from "../../protocol/ops.js";
import { bangLines, commandResult, failIfFailed } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { bool, checked, parseReports, words } from "../dokku/report.js";
import type { CatalogEntry, OpContext } from "./types.js";

const domainsDetail = z.object({
  "app-enabled": bool.default("true"),
  "app-vhosts": z.string().default(""),
  "global-enabled": bool.default("true"),
  "global-vhosts": z.string().default(""),
});

/** `domains:report APP`: text (bash, 30-column padding) before 0.38.0, `--format json` from 0.38.0. Also read by apps.detail. */
export async function domainsOf(ctx: OpContext, app: string): Promise<OpResult<"domains.report">> {
  const r = await readReport(ctx, "domains:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["domains"] });
  const d = checked(domainsDetail, r.fields, "domains:report");
  return {
    appEnabled: d["app-enabled"] === "true",
    appVhosts: words(d["app-vhosts"]),
    globalEnabled: d["global-enabled"] === "true",
    globalVhosts: words(d["global-vhosts"]),
    format: r.format,
  };
}

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
    return commandResult(await ctx.dokku(["domains:add", app, ...domains]), app);
  },
};

export const domainsRemove: CatalogEntry<"domains.remove"> = {
  async run(ctx, { app, domains }) {
    return commandResult(await ctx.dokku(["domains:remove", app, ...domains]), app);
  },
};
