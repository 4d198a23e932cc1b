import { z } from "zod";
import { deployBranchOf, gitReport } from "../dokku/git-report.js";
import { bangLines, commandResult } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { bool, checked } from "../dokku/report.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry } from "./types.js";
import { END_OF_OPTIONS, flag } from "../process/argv-guard.js";

/** apps:report fields the relay reads (prefix `app-` stripped). */
export const appDetail = z.object({
  locked: bool.default("false"),
  "deploy-source": z.string().default(""),
  "deploy-source-metadata": z.string().default(""),
  dir: z.string().default(""),
});
/** builder:report fields the relay reads (prefix `builder-` stripped). */
export const builderDetail = z.object({
  selected: z.string().default(""),
  "computed-selected": z.string().default(""),
  detected: z.string().default(""),
  "build-dir": z.string().default(""),
});
const checksDetail = z.object({
  "disabled-list": z.string().default("none"),
  "skipped-list": z.string().default("none"),
});

/** `checks:report` lists: comma-separated process types, `_all_`, or `none`. */
const typeList = (s: string): string[] =>
  s.trim() === "none" || s.trim() === ""
    ? []
    : s
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);

/** apps:report and builder:report (Go), checks:report and git:report (bash: JSON from 0.38.0), run together. */
export const deployReport: CatalogEntry<"deploy.report"> = {
  async run(ctx, { app }) {
    const [apps, checks, git, builder] = await Promise.all([
      readReport(ctx, "apps:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["app"] }),
      readReport(ctx, "checks:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["checks"] }),
      gitReport(ctx, app),
      readReport(ctx, "builder:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["builder"] }),
    ]);
    const a = checked(appDetail, apps.fields, "apps:report");
    const k = checked(checksDetail, checks.fields, "checks:report");
    const b = checked(builderDetail, builder.fields, "builder:report");
    const branch = deployBranchOf(git.git);
    return {
      locked: a.locked === "true",
      deploySource: a["deploy-source"],
      deploySourceMetadata: a["deploy-source-metadata"],
      checksDisabled: typeList(k["disabled-list"]),
      checksSkipped: typeList(k["skipped-list"]),
      branch,
      builder: b.selected,
      builderInEffect: b["computed-selected"] || b.detected,
      buildDir: b["build-dir"],
      format: [apps, checks, git, builder].every((r) => r.format === "json") ? "json" : "text",
    };
  },
};

export const gitSetDeployBranch: CatalogEntry<"git.setDeployBranch"> = {
  async run(ctx, { app, branch }) {
    return commandResult(await ctx.dokku(["git:set", app, "deploy-branch", ...(branch ? [branch] : [])]), app);
  },
};

export const builderSet: CatalogEntry<"builder.set"> = {
  async run(ctx, args) {
    return commandResult(await ctx.dokku(["builder:set", args.app, END_OF_OPTIONS, args.property, ...(args.value ? [args.value] : [])]), args.app);
  },
};

const CHECKS_COMMAND = { enabled: "checks:enable", disabled: "checks:disable", skipped: "checks:skip" } as const;

export const checksSet: CatalogEntry<"checks.set"> = {
  async run(ctx, { app, state }) {
    return commandResult(await ctx.dokku([CHECKS_COMMAND[state], app]), app);
  },
};

/**
 * Streams: a clone or fetch, then a whole deploy. Dokku sends git's clone errors to /dev/null, so
 * an unreachable remote ends with git's exit code 128 and no message: the relay says what to check.
 */
export const gitSync: CatalogEntry<"git.sync"> = {
  async run(ctx, { app, remote, ref }) {
    const res = await ctx.dokku(["git:sync", flag("--build"), app, remote, ...(ref ? [ref] : [])]);
    if (res.exitCode === 128 && res.stopped === null && bangLines(res.stderr).length === 0) {
      throw new OpFailure(
        "dokku_error",
        `git could not fetch ${remote}${ref ? ` at ${ref}` : ""} (exit 128). Check the URL and the branch; for a private repository, ` +
          "give the host access (dokku git:auth for https, dokku git:allow-host and a deploy key for ssh).",
      );
    }
    return commandResult(res, app);
  },
};

export const appsUnlock: CatalogEntry<"apps.unlock"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["apps:unlock", app]), app);
  },
};

/** `buildpacks:report` (Go): `buildpacks-list` is comma-separated, in the order they run. */
export const buildpacksReport: CatalogEntry<"buildpacks.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "buildpacks:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["buildpacks"] });
    const d = checked(z.object({ list: z.string().default("") }), r.fields, "buildpacks:report");
    return {
      buildpacks: d.list
        .split(",")
        .map((b) => b.trim())
        .filter(Boolean),
      format: r.format,
    };
  },
};

export const buildpacksAdd: CatalogEntry<"buildpacks.add"> = {
  async run(ctx, { app, url, index }) {
    return commandResult(await ctx.dokku(["buildpacks:add", ...(index ? [flag("--index"), String(index)] : []), app, END_OF_OPTIONS, url]), app);
  },
};

export const buildpacksRemove: CatalogEntry<"buildpacks.remove"> = {
  async run(ctx, { app, url }) {
    return commandResult(await ctx.dokku(["buildpacks:remove", app, END_OF_OPTIONS, url]), app);
  },
};

export const buildpacksClear: CatalogEntry<"buildpacks.clear"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["buildpacks:clear", app]), app);
  },
};
