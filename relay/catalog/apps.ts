import type { AppSummary } from "../../protocol/ops.js";
import { bangLines } from "../dokku/output.js";
import { parseReports, psReportFields } from "../dokku/report.js";
import { failIfFailed, OpFailure, type CatalogEntry } from "./types.js";

/**
 * apps.list: two processes whatever the number of apps — the names, then one all-apps
 * `ps:report` (text: the JSON form has no app names when run for all apps).
 */
export const appsList: CatalogEntry<"apps.list"> = {
  async run(ctx) {
    const list = await ctx.dokku(["--quiet", "apps:list"]);
    failIfFailed(list);
    const names = list.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("=====>"));
    if (names.length === 0) return { apps: [] };

    const report = await ctx.dokku(["ps:report"]);
    failIfFailed(report);
    const byApp = new Map(parseReports(report.stdout).map((b) => [b.app, b.fields]));
    const apps: AppSummary[] = names.map((name) => {
      const parsed = psReportFields.safeParse(byApp.get(name));
      if (!parsed.success) throw new OpFailure("dokku_error", `ps:report gave no readable status for ${name}`);
      return {
        name,
        deployed: parsed.data.deployed === "true",
        running: parsed.data.running,
        processes: Number(parsed.data.processes),
      };
    });
    return { apps };
  },
};

/** The first warning Dokku printed while still exiting 0 (e.g. "has not been deployed"). */
function warningOf(stderr: string): string | undefined {
  return bangLines(stderr)[0];
}

export const appsRestart: CatalogEntry<"apps.restart"> = {
  async run(ctx, { app }) {
    const res = await ctx.dokku(["ps:restart", app], { stream: true });
    failIfFailed(res, app);
    return { output: res.stdout, warning: warningOf(res.stderr) };
  },
};
