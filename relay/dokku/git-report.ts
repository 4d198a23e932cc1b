import { z } from "zod";
import type { OpContext } from "../catalog/types.js";
import { JSON_SINCE, readReport } from "./read-report.js";
import { checked } from "./report.js";

/** `git:report APP` fields the relay reads (prefix `git-` stripped); absent ones default to "". */
export const gitReportFields = z.object({
  "deploy-branch": z.string().default(""),
  "global-deploy-branch": z.string().default(""),
  sha: z.string().default(""),
  "last-updated-at": z.string().default(""),
});
export type GitReport = z.output<typeof gitReportFields>;

/** `git:report APP` (bash; JSON from 0.38.0), checked. */
export async function gitReport(ctx: OpContext, app: string): Promise<{ git: GitReport; format: "json" | "text" }> {
  const r = await readReport(ctx, "git:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["git"] });
  return { git: checked(gitReportFields, r.fields, "git:report"), format: r.format };
}

/**
 * The deploy branch from git:report. The report prints the app's own branch, or `master` when the
 * app has none (cmd-git-report-single), while a deploy uses the app's, else the global one, else
 * `master` (fn-git-deploy-branch; both in plugins/git/internal-functions of dokku/dokku v0.35.20):
 * so `master` in the report means "follows the global one".
 */
export function deployBranchOf(g: GitReport): { own: string; effective: string } {
  const own = g["deploy-branch"] && g["deploy-branch"] !== "master" ? g["deploy-branch"] : "";
  return { own, effective: own || g["global-deploy-branch"] || "master" };
}
