import type { ReleaseSource } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { appsScaleShow } from "../catalog/apps.js";
import { configGet } from "../catalog/config.js";
import { appDetail, buildpacksReport, builderDetail } from "../catalog/deploy.js";
import { domainsOf } from "../catalog/domains.js";
import { portsReport } from "../catalog/ports.js";
import type { OpContext } from "../catalog/types.js";
import { gitReport } from "../dokku/git-report.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { checked } from "../dokku/report.js";
import type { Snapshot } from "./snapshot-schema.js";

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

/**
 * Where a snapshot's code came from (apps:report's deploy source: `git-push` with the pushed sha,
 * `git-sync` with `REMOTE#SHA`, `docker-image` with the image: deploy-source-set callers in
 * plugins/git/functions and plugins/git/internal-functions). The repository is kept with its
 * credentials masked: what the edge sees.
 */
export function sourceOf(s: Pick<Snapshot, "sha" | "deploySource" | "deploySourceMetadata">): ReleaseSource {
  if (s.deploySource === "git-sync") {
    const hash = s.deploySourceMetadata.lastIndexOf("#");
    const repo = hash >= 0 ? s.deploySourceMetadata.slice(0, hash) : s.deploySourceMetadata;
    return { kind: "git-sync", sha: s.sha, repo: maskUrlCredentials(repo), image: "" };
  }
  if (s.deploySource === "git-push") return { kind: "git-push", sha: s.sha, repo: "", image: "" };
  if (s.deploySource === "docker-image") return { kind: "image", sha: s.sha, repo: "", image: s.deploySourceMetadata };
  return { kind: "unknown", sha: s.sha, repo: "", image: "" };
}

/** The repository a git-sync snapshot fetched from, whole (credentials and all): for the relay's own git:sync only. */
export function syncRemoteOf(s: Snapshot): string | null {
  if (s.deploySource !== "git-sync") return null;
  const hash = s.deploySourceMetadata.lastIndexOf("#");
  const repo = hash >= 0 ? s.deploySourceMetadata.slice(0, hash) : s.deploySourceMetadata;
  return repo || null;
}
