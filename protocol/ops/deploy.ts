import { z } from "zod";
import { BUILDERS, appName, buildDir, buildpackUrl, gitRef, gitRemote } from "../names.js";
import { appOnly, change, DEPLOYED, FRESH_MS, OP_LIMITS, read, reportFormat } from "./spec.js";

/** How an app deploys: the deploy lock, zero-downtime checks, the git deploy branch, the builder and buildpacks. */

/**
 * An app's deploy branch as git:report tells it. From Dokku 0.38.4 the report prints what Dokku
 * computed (`computed-deploy-branch`) and an unset branch as ""; before that it prints `master`
 * both for an app pinned to master and for one that follows the global branch, so when the global
 * branch is not master the report cannot tell which one a push deploys.
 */
export const deployBranchInfo = z.object({
  /** The app's own branch; "" when it follows the global one; null when the report cannot tell. */
  own: z.string().nullable(),
  /** The branch a push deploys; null when the report cannot tell (`either` then names the candidates). */
  effective: z.string().nullable(),
  /** The global deploy branch ("" when none is set: Dokku then uses master). */
  global: z.string(),
  /** The branches it may be when `effective` is null. */
  either: z.array(z.string()),
});
export type DeployBranchInfo = z.infer<typeof deployBranchInfo>;

export const deployOps = {
  /** How the app deploys: the deploy lock, where its code came from, and its zero-downtime checks. */
  "deploy.report": read({
    access: { scope: "app", area: "deploy" },
    args: appOnly,
    result: z.object({
      locked: z.boolean(),
      deploySource: z.string(),
      deploySourceMetadata: z.string(),
      /** Process types whose checks are disabled / skipped; `_all_` means every one. */
      checksDisabled: z.array(z.string()),
      checksSkipped: z.array(z.string()),
      /** The app's own deploy branch and the one in effect, as far as git:report tells them. */
      branch: deployBranchInfo,
      /** The builder set for the app ("" = auto-detect), and the one Dokku detected or will use. */
      builder: z.string(),
      builderInEffect: z.string(),
      buildDir: z.string(),
      format: reportFormat,
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `checks:enable|disable|skip APP`: zero-downtime checks on, off (downtime on deploy) or skipped. */
  "checks.set": change({
    access: { scope: "app", area: "deploy" },
    title: "Change the zero-downtime checks of {app}",
    args: z.object({ app: appName, state: z.enum(["enabled", "disabled", "skipped"]) }).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
  /** `git:set APP deploy-branch BRANCH`, or without a branch to follow the global one again. */
  "git.setDeployBranch": change({
    access: { scope: "app", area: "deploy" },
    title: "Set the deploy branch of {app}",
    args: z.object({ app: appName, branch: gitRef.optional() }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["deploy.report", "apps.detail"],
  }),
  /** `builder:set APP selected|build-dir [VALUE]`: an empty value unsets the property. */
  "builder.set": change({
    access: { scope: "app", area: "deploy" },
    title: "Set the builder of {app}",
    args: z.discriminatedUnion("property", [
      z.object({ app: appName, property: z.literal("selected"), value: z.enum(BUILDERS).optional() }).strict(),
      z.object({ app: appName, property: z.literal("build-dir"), value: buildDir.optional() }).strict(),
    ]),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
  /** `buildpacks:report APP`: the buildpacks set for the app, in order (none: Dokku detects one). */
  "buildpacks.report": read({
    access: { scope: "app", area: "deploy" },
    args: appOnly,
    result: z.object({ buildpacks: z.array(z.string()), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `buildpacks:add [--index N] APP URL` (N counts from 1). */
  "buildpacks.add": change({
    access: { scope: "app", area: "deploy" },
    title: "Add a buildpack to {app}",
    args: z.object({ app: appName, url: buildpackUrl, index: z.number().int().min(1).max(OP_LIMITS.buildpackIndex).optional() }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["buildpacks.report"],
  }),
  "buildpacks.remove": change({
    access: { scope: "app", area: "deploy" },
    title: "Remove a buildpack from {app}",
    args: z.object({ app: appName, url: buildpackUrl }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["buildpacks.report"],
  }),
  "buildpacks.clear": change({
    access: { scope: "app", area: "deploy" },
    title: "Clear the buildpacks of {app}",
    args: appOnly,
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["buildpacks.report"],
  }),
  /** `git:sync --build APP REMOTE [REF]`: fetch the code from a repository and deploy it. */
  "git.sync": change({
    access: { scope: "app", area: "deploy" },
    title: "Deploy {app} from Git",
    args: z.object({ app: appName, remote: gitRemote, ref: gitRef.optional() }).strict(),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: DEPLOYED,
    deploys: true,
  }),
  /** `apps:unlock APP`: remove a deploy lock left behind by an interrupted deploy. */
  "apps.unlock": change({
    access: { scope: "app", area: "deploy" },
    title: "Unlock deploys of {app}",
    args: appOnly,
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
} as const;
