import { z } from "zod";
import type { DeployBranchInfo } from "../../protocol/ops.js";
import type { OpContext } from "../catalog/types.js";
import { JSON_SINCE, readReport } from "./read-report.js";
import { checked } from "./report.js";

/** A full commit id as git prints it: 40 hex digits (SHA-1) or 64 (SHA-256 repositories). */
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * `git-sha` as a commit id, or "" when the app's repository has no commit yet. Before the first push
 * the repository is the empty bare one fn-git-create-hook makes at apps:create, whose HEAD is unborn:
 * Dokku's bash report through 0.38.21 runs `$(fn-git-cmd "$APP_ROOT" rev-parse HEAD 2>/dev/null ||
 * false)` (cmd-git-report-single in plugins/git/internal-functions), and git then prints the name it
 * could not resolve, `HEAD`, on stdout; the Go report from 0.38.22 (reportSha in plugins/git/report.go)
 * prints "" when rev-parse fails. Both mean "never pushed", never a commit called HEAD.
 */
export function commitOrNone(sha: string): string {
  return COMMIT_ID.test(sha.trim()) ? sha.trim() : "";
}

/** `git:report APP` fields the relay reads (prefix `git-` stripped); absent ones default to "". */
export const gitReportFields = z.object({
  "deploy-branch": z.string().default(""),
  "global-deploy-branch": z.string().default(""),
  /** 0.38.4+ only (cmd-git-report-single in plugins/git/internal-functions; report.go from 0.38.22). */
  "computed-deploy-branch": z.string().optional(),
  /** The deployed commit, or "" before the first push (see {@link commitOrNone}). */
  sha: z
    .string()
    .default("")
    .transform((s) => commitOrNone(s)),
  "last-updated-at": z.string().default(""),
});
export type GitReport = z.output<typeof gitReportFields>;

/** `git:report APP` (bash; JSON from 0.38.0), checked. */
export async function gitReport(ctx: OpContext, app: string): Promise<{ git: GitReport; format: "json" | "text" }> {
  const r = await readReport(ctx, "git:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["git"] });
  return { git: checked(gitReportFields, r.fields, "git:report"), format: r.format };
}

/**
 * The deploy branch from git:report. Dokku 0.38.4+ prints the computed branch (the app's, else the
 * global one, else `master`: fn-git-computed-deploy-branch in plugins/git/internal-functions, and
 * reportComputedDeployBranch in plugins/git/report.go from 0.38.22) and "" for an unset one: both
 * are taken as printed. Before 0.38.4 an unset app branch and an unset global one both print
 * `master` (fn-plugin-property-get's default in cmd-git-report-single), while a deploy uses the
 * app's, else the global one: `master` for the app then means pinned to master or following the
 * global branch, which the report cannot tell apart unless the global one is master too.
 */
export function deployBranchOf(g: GitReport): DeployBranchInfo {
  const own = g["deploy-branch"];
  const global = g["global-deploy-branch"];
  if (g["computed-deploy-branch"] !== undefined) {
    return { own, effective: g["computed-deploy-branch"] || own || global || "master", global, either: [] };
  }
  if (own && own !== "master") return { own, effective: own, global, either: [] };
  if (!global || global === "master") return { own: null, effective: "master", global, either: [] };
  return { own: null, effective: null, global, either: ["master", global] };
}
