import { z } from "zod";
import type { AppSummary } from "../../protocol/ops.js";
import { runningState } from "../../protocol/ops/spec.js";
import { deployBranchOf, gitReport } from "../dokku/git-report.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { bool, checked, parseReports } from "../dokku/report.js";
import { versionAtLeast } from "../dokku/version.js";
import { domainsOf } from "./domains.js";
import { OpFailure, type CatalogEntry } from "./types.js";

/** `ps:report` fields apps.list reads for every app, checked rather than trusted. */
const psReportFields = z.object({
  deployed: bool,
  running: runningState,
  processes: z.string().regex(/^\d+$/),
});
/** One app's `ps:report`, with the fields only apps.detail shows (absent on old versions). */
const psDetail = psReportFields.extend({
  "can-scale": bool.default("true"),
  "restart-policy": z.string().default(""),
});

/**
 * apps.list: two processes whatever the number of apps, run together — the names, and one
 * all-apps `ps:report` (text: the JSON form has no app names when run for all apps). With no
 * apps, ps:report's complaint about it is not read.
 */
export const appsList: CatalogEntry<"apps.list"> = {
  async run(ctx) {
    const [list, report] = await Promise.all([ctx.dokku(["--quiet", "apps:list"]), ctx.dokku(["ps:report"])]);
    failIfFailed(list);
    const names = list.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("=====>"));
    if (names.length === 0) return { apps: [] };

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
    return commandResult(await ctx.dokku(["ps:restart", app]), app);
  },
};

/** apps.detail: ps, domains and git reports for one app (three processes, run together). */
export const appsDetail: CatalogEntry<"apps.detail"> = {
  async run(ctx, { app }) {
    const [ps, domains, { git: g, format: gitFormat }] = await Promise.all([
      readReport(ctx, "ps:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["ps"] }),
      domainsOf(ctx, app),
      gitReport(ctx, app),
    ]);
    const p = checked(psDetail, ps.fields, "ps:report");
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
      format: [ps.format, domains.format, gitFormat].every((f) => f === "json") ? "json" : "text",
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
    return commandResult(await ctx.dokku(["--force", "apps:destroy", app]), app);
  },
};

export const appsStart: CatalogEntry<"apps.start"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:start", app]), app);
  },
};

export const appsStop: CatalogEntry<"apps.stop"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:stop", app]), app);
  },
};

export const appsRebuild: CatalogEntry<"apps.rebuild"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["ps:rebuild", app]), app);
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
    return commandResult(await ctx.dokku(argv), app);
  },
};
