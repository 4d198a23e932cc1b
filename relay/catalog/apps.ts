import { z } from "zod";
import type { AppSummary, OpResult } from "../../protocol/ops.js";
import { normalizeReportKeys, parseJsonReport, parseReports, psReportFields } from "../dokku/report.js";
import { commandResult, failIfFailed, OpFailure, versionAtLeast, type CatalogEntry, type OpContext } from "./types.js";

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

export const appsRestart: CatalogEntry<"apps.restart"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:restart", app], { stream: true }), app);
  },
};

/** Since when a report accepts `--format json`: Go reports since 0.23.1, bash reports since 0.38.0. */
export const JSON_SINCE = { go: "0.23.1", bash: "0.38.0" } as const;

/**
 * One app's `X:report APP`, as JSON when the detected Dokku version supports it for that report and
 * as text otherwise; keys normalised (plugin prefix stripped) so both paths give the same fields.
 */
export async function readReport(
  ctx: OpContext,
  command: string,
  app: string,
  opts: { jsonSince: string; prefixes: readonly string[] },
): Promise<{ fields: Record<string, string>; format: "json" | "text" }> {
  const json = versionAtLeast(ctx.dokkuVersion, opts.jsonSince);
  const res = await ctx.dokku(json ? [command, app, "--format", "json"] : [command, app]);
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

/** A report's true/false field. */
export const bool = z.enum(["true", "false"]);
const psDetail = z.object({
  deployed: bool,
  processes: z.string().regex(/^\d+$/),
  running: z.enum(["true", "false", "mixed"]),
  "can-scale": bool.default("true"),
  "restart-policy": z.string().default(""),
});
const domainsDetail = z.object({
  "app-enabled": bool.default("true"),
  "app-vhosts": z.string().default(""),
  "global-enabled": bool.default("true"),
  "global-vhosts": z.string().default(""),
});
export const gitDetail = z.object({
  "deploy-branch": z.string().default(""),
  "global-deploy-branch": z.string().default(""),
  sha: z.string().default(""),
  "last-updated-at": z.string().default(""),
});

/**
 * The deploy branch from git:report. It prints the app's own branch, or `master` when the app has
 * none, while a deploy uses the app's, else the global one, else `master`: so `master` there means
 * "follows the global one".
 */
export function deployBranchOf(g: z.output<typeof gitDetail>): { own: string; effective: string } {
  const own = g["deploy-branch"] && g["deploy-branch"] !== "master" ? g["deploy-branch"] : "";
  return { own, effective: own || g["global-deploy-branch"] || "master" };
}

export function checked<T extends z.ZodType>(schema: T, fields: Record<string, string>, what: string): z.output<T> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new OpFailure("dokku_error", `${what} did not have the expected fields: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Space-separated lists in reports; `-` and empty mean none. */
export const words = (s: string): string[] => s.split(/\s+/).filter((w) => w && w !== "-");

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

/** apps.detail: ps, domains and git reports for one app (three processes, run together). */
export const appsDetail: CatalogEntry<"apps.detail"> = {
  async run(ctx, { app }) {
    const [ps, domains, git] = await Promise.all([
      readReport(ctx, "ps:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["ps"] }),
      domainsOf(ctx, app),
      readReport(ctx, "git:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["git"] }),
    ]);
    const p = checked(psDetail, ps.fields, "ps:report");
    const g = checked(gitDetail, git.fields, "git:report");
    const containers = Object.entries(ps.fields)
      .filter(([k]) => k.startsWith("status-"))
      .map(([k, v]) => {
        // JSON keys are `status-web.1`, text slugs `status-web-1`
        const process = k.slice("status-".length).replace(/-(\d+)$/, ".$1");
        const m = v.match(/^(\S+)(?:\s+\(CID:\s*([0-9a-f]+)\))?/);
        return { process, state: m?.[1] ?? v, cid: m?.[2] ?? null };
      })
      .sort((a, b) => (a.process < b.process ? -1 : a.process > b.process ? 1 : 0));
    const updated = /^\d{1,12}$/.test(g["last-updated-at"]) ? Number(g["last-updated-at"]) : null;
    return {
      name: app,
      deployed: p.deployed === "true",
      running: p.running,
      processes: Number(p.processes),
      canScale: p["can-scale"] === "true",
      restartPolicy: p["restart-policy"],
      containers,
      domains: { enabled: domains.appEnabled, vhosts: domains.appVhosts },
      git: { deployBranch: deployBranchOf(g).effective, sha: g.sha, lastUpdatedAt: updated },
      format: ps.format === "json" && domains.format === "json" ? "json" : "text",
    };
  },
};

export const appsCreate: CatalogEntry<"apps.create"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["apps:create", app]), app);
  },
};

/** `--force` before the command (Dokku's entry script takes it as a global flag): no prompt on stdin. */
export const appsDestroy: CatalogEntry<"apps.destroy"> = {
  async run(ctx, { app, confirm }) {
    if (app !== confirm) throw new OpFailure("bad_request", "confirm must repeat the app name exactly");
    return commandResult(await ctx.dokku(["--force", "apps:destroy", app], { stream: true }), app);
  },
};

export const appsStart: CatalogEntry<"apps.start"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:start", app], { stream: true }), app);
  },
};

export const appsStop: CatalogEntry<"apps.stop"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:stop", app], { stream: true }), app);
  },
};

export const appsRebuild: CatalogEntry<"apps.rebuild"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:rebuild", app], { stream: true }), app);
  },
};

const SCALE_LINE = /^([A-Za-z0-9][A-Za-z0-9_-]*):\s+(\d+)\s*$/;

/** `ps:scale APP` text: `-----> Scaling for APP`, `proctype: qty`, `--------: ---`, then `web:  1` lines. */
export function parseScaleText(stdout: string): Array<{ processType: string; quantity: number }> {
  const rows: Array<{ processType: string; quantity: number }> = [];
  for (const raw of stdout.split("\n")) {
    const m = raw.replace(/\r$/, "").match(SCALE_LINE);
    if (m) rows.push({ processType: m[1]!, quantity: Number(m[2]) });
  }
  return rows;
}

const scaleJson = z.array(z.object({ process_type: z.string(), quantity: z.number().int().min(0) })).nullable();

export function parseScaleJson(stdout: string): Array<{ processType: string; quantity: number }> {
  const rows = scaleJson.parse(JSON.parse(stdout.trim() || "[]")) ?? [];
  return rows.map((r) => ({ processType: r.process_type, quantity: r.quantity }));
}

/** Since 0.38.21 `ps:scale APP --format json`; text before. */
export const appsScaleShow: CatalogEntry<"apps.scale.show"> = {
  async run(ctx, { app }) {
    const json = versionAtLeast(ctx.dokkuVersion, "0.38.21");
    const res = await ctx.dokku(json ? ["ps:scale", app, "--format", "json"] : ["ps:scale", app]);
    failIfFailed(res, app);
    try {
      return { scale: json ? parseScaleJson(res.stdout) : parseScaleText(res.stdout), format: json ? "json" : "text" };
    } catch (e) {
      throw new OpFailure("dokku_error", `ps:scale printed output the relay could not read: ${(e as Error).message}`);
    }
  },
};

/** Every process type in one command (`ps:scale APP web=2 worker=1`): one deploy, not one per type. */
export const appsScaleSet: CatalogEntry<"apps.scale.set"> = {
  async run(ctx, { app, scale, skipDeploy }) {
    const tuples = Object.entries(scale)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([type, n]) => `${type}=${n}`);
    const argv = ["ps:scale", ...(skipDeploy ? ["--skip-deploy"] : []), app, ...tuples];
    return commandResult(await ctx.dokku(argv, { stream: true }), app);
  },
};
