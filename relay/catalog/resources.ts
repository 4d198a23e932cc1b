import { RESOURCE_KINDS, type ResourceEntry } from "../../protocol/ops/resources.js";
import { commandResult } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { flag, type Arg } from "../process/argv-guard.js";
import type { CatalogEntry } from "./types.js";

/**
 * A resource:report key as a triple: `_default_.limit.memory` in JSON (TrimPrefix in
 * ReportSingleApp of plugins/resource/resource.go, dokku/dokku; 0.38.8+ adds the `resource-`
 * keys, which normalizeReportKeys folds in), `_default_-limit-memory` once the text layout's
 * dots and dashes became spaces and the key a slug. Null for any other key.
 */
export function resourceKey(key: string): Omit<ResourceEntry, "value"> | null {
  const m = key.match(/^(.+?)[.-](limit|reserve)[.-](.+)$/);
  if (!m || !(RESOURCE_KINDS as readonly string[]).includes(m[2]!)) return null;
  return { processType: m[1]!, kind: m[2] as ResourceEntry["kind"], resource: m[3]! };
}

/**
 * `resource:report APP`: one key per property set (PropertyGetAll of the resource plugin), none
 * when nothing is set (the JSON is `{}`; the text is the header alone). Empty values are skipped.
 */
export const resourcesReport: CatalogEntry<"resources.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "resource:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["resource"] });
    const entries = Object.entries(r.fields).flatMap(([k, value]) => {
      const key = resourceKey(k);
      return key && value !== "" ? [{ ...key, value }] : [];
    });
    entries.sort((a, b) => `${a.processType}.${a.kind}.${a.resource}`.localeCompare(`${b.processType}.${b.kind}.${b.resource}`));
    return { entries, format: r.format };
  },
};

/** setResourceType in plugins/resource/functions.go: `=====> Setting resource limits for APP (TYPE)`, one line per value. */
export const resourcesSet: CatalogEntry<"resources.set"> = {
  async run(ctx, { app, kind, processType, cpu, memory }) {
    const argv: Arg[] = [`resource:${kind}`];
    if (cpu !== undefined) argv.push(flag("--cpu"), cpu);
    if (memory !== undefined) argv.push(flag("--memory"), memory);
    argv.push(flag("--process-type"), processType, app);
    return commandResult(await ctx.dokku(argv), app);
  },
};

/**
 * clearByResourceType: always with `--process-type` (`_default_` for all processes): without it
 * Dokku deletes every resource property of the app, limits and reservations alike.
 */
export const resourcesClear: CatalogEntry<"resources.clear"> = {
  async run(ctx, { app, kind, processType }) {
    return commandResult(await ctx.dokku([`resource:${kind}-clear`, flag("--process-type"), processType, app]), app);
  },
};
