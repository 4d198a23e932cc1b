import { z } from "zod";
import type { AppSummary } from "../../protocol/ops.js";
import { deployBranchOf, gitReport } from "../dokku/git-report.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { appStateOf, psStateFields, unknownState } from "../dokku/ps-state.js";
import { bool, checked, parseReports } from "../dokku/report.js";
import { versionAtLeast } from "../dokku/version.js";
import { domainsOf } from "./domains.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry } from "./types.js";
import { END_OF_OPTIONS, flag } from "../process/argv-guard.js";

/** One app's `ps:report`, with the fields only apps.detail shows (absent on old versions). */
const psDetail = psStateFields.extend({
  "can-scale": bool.default("true"),
  "restart-policy": z.string().default(""),
});

/** The names `dokku --quiet apps:list` prints, one a line (any header line left out). */
export function appNames(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("=====>"));
}

/**
 * apps.list: two processes whatever the number of apps, run together — the names, and one
 * all-apps `ps:report` (text: the JSON form has no app names when run for all apps). With no
 * apps, ps:report's complaint about it is not read. An app the report leaves out (created or
 * destroyed between the two calls) or gives unreadable fields for is listed with its state
 * unknown: one odd row does not hide the others.
 */
export const appsList: CatalogEntry<"apps.list"> = {
  async run(ctx) {
    const [list, report] = await Promise.all([ctx.dokku([flag("--quiet"), "apps:list"]), ctx.dokku(["ps:report"])]);
    failIfFailed(list);
    const names = appNames(list.stdout);
    if (names.length === 0) return { apps: [] };

    failIfFailed(report);
    const byApp = new Map(parseReports(report.stdout).map((b) => [b.app, b.fields]));
    const apps: AppSummary[] = names.map((name) => {
      const fields = byApp.get(name);
      if (!fields) return { name, ...unknownState("ps:report did not list it (created or destroyed meanwhile?)") };
      const parsed = psStateFields.safeParse(fields);
      if (!parsed.success) return { name, ...unknownState("ps:report gave no readable status for it") };
      return { name, ...appStateOf(parsed.data) };
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
    const state = appStateOf(p);
    return {
      name: app,
      ...state,
      deployed: p.deployed === "true",
      running: p.running === "" ? "false" : p.running,
      canScale: p["can-scale"] === "true",
      restartPolicy: p["restart-policy"],
      containers,
      domains: { enabled: domains.appEnabled, vhosts: domains.appVhosts },
      git: { deployBranch: deployBranchOf(g), sha: g.sha, lastUpdatedAt: updated },
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
    return commandResult(await ctx.dokku([flag("--force"), "apps:destroy", app]), app);
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
    const res = await ctx.dokku(json ? ["ps:scale", app, flag("--format"), "json"] : ["ps:scale", app]);
    failIfFailed(res, app);
    try {
      return { scale: json ? parseScaleJson(res.stdout) : parseScaleText(res.stdout), format: json ? "json" : "text" };
    } catch (e) {
      throw new OpFailure("dokku_error", `ps:scale printed output the relay could not read: ${(e as Error).message}`);
    }
  },
};

/**
 * Every process type in one command (`ps:scale [--skip-deploy] APP -- web=2 worker=1`): one deploy,
 * not one per type. ps:scale is parsed by pflag, which honours `--` (relay/process/argv-guard.ts).
 */
export const appsScaleSet: CatalogEntry<"apps.scale.set"> = {
  async run(ctx, { app, scale, skipDeploy }) {
    const tuples = Object.entries(scale)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([type, n]) => `${type}=${n}`);
    const argv = ["ps:scale", ...(skipDeploy ? [flag("--skip-deploy")] : []), app, END_OF_OPTIONS, ...tuples];
    return commandResult(await ctx.dokku(argv), app);
  },
};
