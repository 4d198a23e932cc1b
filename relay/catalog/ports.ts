import { z } from "zod";
import { commandResult } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { checked, words } from "../dokku/report.js";
import type { CatalogEntry } from "./types.js";
import { END_OF_OPTIONS } from "../process/argv-guard.js";

/** `ports:report` fields after the plugin prefix is stripped (`ports-map` → `map`). */
const portsDetail = z.object({
  map: z.string().default(""),
  "map-detected": z.string().default(""),
});

/**
 * `ports:report APP` (the ports plugin, Go, Dokku 0.31+): space-separated `scheme:host:container`
 * lists. Before 0.31 the command does not exist and Dokku's own refusal is passed on.
 */
export const portsReport: CatalogEntry<"ports.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "ports:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["ports"] });
    const d = checked(portsDetail, r.fields, "ports:report");
    return { map: words(d.map), detected: words(d["map-detected"]), format: r.format };
  },
};

export const portsAdd: CatalogEntry<"ports.add"> = {
  async run(ctx, { app, mappings }) {
    return commandResult(await ctx.dokku(["ports:add", app, END_OF_OPTIONS, ...mappings]), app);
  },
};

export const portsRemove: CatalogEntry<"ports.remove"> = {
  async run(ctx, { app, mappings }) {
    return commandResult(await ctx.dokku(["ports:remove", app, END_OF_OPTIONS, ...mappings]), app);
  },
};
