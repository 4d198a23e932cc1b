import { type OpContext } from "../catalog/types.js";
import { OpFailure } from "./failure.js";
import { failIfFailed } from "./output.js";
import { normalizeReportKeys, parseJsonReport, parseReports } from "./report.js";
import { versionAtLeast } from "./version.js";
import { flag } from "../process/argv-guard.js";

/**
 * Since when a report accepts `--format json`: the Go reports (ReportSingleApp in
 * plugins/common/common.go of dokku/dokku) since 0.23.1, the bash ones since 0.38.0.
 */
export const JSON_SINCE = { go: "0.23.1", bash: "0.38.0" } as const;

/**
 * One app's `X:report APP`, as JSON when the detected Dokku version supports it for that report and
 * as text otherwise; keys normalised (plugin prefix stripped) so both paths give the same fields.
 * A failed command throws as failIfFailed does; output that does not parse is a dokku_error.
 */
export async function readReport(
  ctx: OpContext,
  command: string,
  app: string,
  opts: { jsonSince: string; prefixes: readonly string[] },
): Promise<{ fields: Record<string, string>; format: "json" | "text" }> {
  const json = versionAtLeast(ctx.dokkuVersion, opts.jsonSince);
  const res = await ctx.dokku(json ? [command, app, flag("--format"), "json"] : [command, app]);
  failIfFailed(res, app);
  let raw: Record<string, string>;
  if (json) {
    try {
      raw = parseJsonReport(res.stdout);
    } catch (e) {
      throw new OpFailure("dokku_error", `${command} printed JSON the relay could not read: ${(e as Error).message}`);
    }
  } else {
    const block = parseReports(res.stdout).find((b) => b.app === app);
    if (!block) throw new OpFailure("dokku_error", `${command} printed no report for ${app}`);
    raw = block.fields;
  }
  return { fields: normalizeReportKeys(raw, opts.prefixes), format: json ? "json" : "text" };
}
