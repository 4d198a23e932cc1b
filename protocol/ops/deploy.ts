import { z } from "zod";
import { BUILDERS, appName, buildDir, buildpackUrl, gitRef, gitRemote } from "../names.js";
import { appOnly, change, DEPLOYED, FRESH_MS, OP_LIMITS, read, reportFormat } from "./spec.js";

/** How an app deploys: the deploy lock, zero-downtime checks, the git deploy branch, the builder and buildpacks. */

export const deployOps = {
  /** How the app deploys: the deploy lock, where its code came from, and its zero-downtime checks. */
  "deploy.report": read({
    args: appOnly,
    result: z.object({
      locked: z.boolean(),
      deploySource: z.string(),
      deploySourceMetadata: z.string(),
      /** Process types whose checks are disabled / skipped; `_all_` means every one. */
      checksDisabled: z.array(z.string()),
      checksSkipped: z.array(z.string()),
      /** The app's own deploy branch ("" when it follows the global one) and the one in effect. */
      deployBranch: z.string(),
      effectiveDeployBranch: z.string(),
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
    args: z.object({ app: appName, state: z.enum(["enabled", "disabled", "skipped"]) }).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["deploy.report"],
  }),
  /** `git:set APP deploy-branch BRANCH`, or without a branch to follow the global one again. */
  "git.setDeployBranch": change({
    args: z.object({ app: appName, branch: gitRef.optional() }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["deploy.report", "apps.detail"],
  }),
  /** `builder:set APP selected|build-dir [VALUE]`: an empty value unsets the property. */
  "builder.set": change({
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
    args: appOnly,
    result: z.object({ buildpacks: z.array(z.string()), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `buildpacks:add [--index N] APP URL` (N counts from 1). */
  "buildpacks.add": change({
    args: z.object({ app: appName, url: buildpackUrl, index: z.number().int().min(1).max(OP_LIMITS.buildpackIndex).optional() }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["buildpacks.report"],
  }),
  "buildpacks.remove": change({
    args: z.object({ app: appName, url: buildpackUrl }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["buildpacks.report"],
  }),
  "buildpacks.clear": change({ args: appOnly, timeoutMs: 30_000, streams: false, invalidates: ["buildpacks.report"] }),
  /** `git:sync --build APP REMOTE [REF]`: fetch the code from a repository and deploy it. */
  "git.sync": change({
    args: z.object({ app: appName, remote: gitRemote, ref: gitRef.optional() }).strict(),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: DEPLOYED,
  }),
  /** `apps:unlock APP`: remove a deploy lock left behind by an interrupted deploy. */
  "apps.unlock": change({ args: appOnly, timeoutMs: 30_000, streams: false, invalidates: ["deploy.report"] }),
} as const;
