import { z } from "zod";
import { JSON_SINCE, checked, readReport } from "./apps.js";
import { bangLines } from "../dokku/output.js";
import { OpFailure, commandResult, type CatalogEntry } from "./types.js";

const bool = z.enum(["true", "false"]);
const appDetail = z.object({
  locked: bool.default("false"),
  "deploy-source": z.string().default(""),
  "deploy-source-metadata": z.string().default(""),
});
const checksDetail = z.object({
  "disabled-list": z.string().default("none"),
  "skipped-list": z.string().default("none"),
});

/** `checks:report` lists: comma-separated process types, `_all_`, or `none`. */
const typeList = (s: string): string[] => (s.trim() === "none" || s.trim() === "" ? [] : s.split(",").map((t) => t.trim()).filter(Boolean));

/** apps:report (Go) and checks:report (bash: JSON from 0.38.0), run together. */
export const deployReport: CatalogEntry<"deploy.report"> = {
  async run(ctx, { app }) {
    const [apps, checks] = await Promise.all([
      readReport(ctx, "apps:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["app"] }),
      readReport(ctx, "checks:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["checks"] }),
    ]);
    const a = checked(appDetail, apps.fields, "apps:report");
    const k = checked(checksDetail, checks.fields, "checks:report");
    return {
      locked: a.locked === "true",
      deploySource: a["deploy-source"],
      deploySourceMetadata: a["deploy-source-metadata"],
      checksDisabled: typeList(k["disabled-list"]),
      checksSkipped: typeList(k["skipped-list"]),
      format: apps.format === "json" && checks.format === "json" ? "json" : "text",
    };
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
    const res = await ctx.dokku(["git:sync", "--build", app, remote, ...(ref ? [ref] : [])], { stream: true });
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
