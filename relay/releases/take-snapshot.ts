import { appsScaleShow } from "../catalog/apps.js";
import { configGet } from "../catalog/config.js";
import { appDetail, buildpacksReport, builderDetail } from "../catalog/deploy.js";
import { domainsOf } from "../catalog/domains.js";
import { portsReport } from "../catalog/ports.js";
import type { OpContext } from "../catalog/types.js";
import { gitReport } from "../dokku/git-report.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { checked } from "../dokku/report.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Read what the app runs with now, eight commands together: config (config:export), scale, domains,
 * ports, apps:report (the deploy source), builder:report, buildpacks:report and git:report (the
 * commit and the app's own deploy branch).
 */
export async function takeSnapshot(ctx: OpContext, app: string): Promise<Snapshot> {
  const [config, scale, domains, ports, apps, builder, buildpacks, git] = await Promise.all([
    configGet.run(ctx, { app }),
    appsScaleShow.run(ctx, { app }),
    domainsOf(ctx, app),
    // ports:report exists from Dokku 0.31; an older host has none to keep.
    portsReport.run(ctx, { app }).catch(() => ({ map: [] as string[] })),
    readReport(ctx, "apps:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["app"] }),
    readReport(ctx, "builder:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["builder"] }),
    buildpacksReport.run(ctx, { app }),
    gitReport(ctx, app),
  ]);
  const a = checked(appDetail, apps.fields, "apps:report");
  const b = checked(builderDetail, builder.fields, "builder:report");
  const deploy = { builder: b.selected, buildDir: b["build-dir"], deploySource: a["deploy-source"], deploySourceMetadata: a["deploy-source-metadata"] };
  return {
    config: config.vars,
    scale: Object.fromEntries(scale.scale.map((s) => [s.processType, s.quantity])),
    domains: [...domains.appVhosts].sort(),
    ports: [...ports.map].sort(),
    build: { builder: deploy.builder, buildDir: deploy.buildDir, buildpacks: buildpacks.buildpacks, deployBranch: git.git["deploy-branch"] },
    sha: git.git.sha,
    deploySource: deploy.deploySource,
    deploySourceMetadata: deploy.deploySourceMetadata,
    appDir: a.dir,
    keptImage: "",
  };
}
