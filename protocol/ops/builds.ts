import { z } from "zod";
import { appName } from "../names.js";
import { appOnly, change, DEPLOYED, read } from "./spec.js";

/**
 * Dokku's own build records (0.38+, plugins/builds in dokku/dokku): each deploy Dokku ran, by
 * whatever started it (a `git push`, `ps:rebuild` over SSH, Docklight), with its log. Before 0.38
 * the commands do not exist and Dokku answers as for any unknown command.
 */

/**
 * A build id as Dokku makes them: GenerateBuildID in plugins/builds/builds.go (8 base36 characters
 * of the time, 6 of randomness), or `pid-N` when the id trigger failed (dokku_setup_build_capture
 * in plugins/common/functions). Never begins with `-`.
 */
export const buildId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a build id is lowercase letters, digits and dashes (as builds:list prints it)");

/** What builds:list shows as a build's status (DisplayStatus in plugins/builds/builds.go: `abandoned` is a running record whose process is gone). */
export const BUILD_STATUSES = ["running", "succeeded", "failed", "canceled", "abandoned"] as const;

/** One build record (listView in plugins/builds/subcommands.go), times in ms since the epoch. */
export const buildRecord = z.object({
  id: z.string(),
  /** "build": made a new image (git-hook, ps:rebuild, git:sync…); "deploy": deployed one already built (config-redeploy, ps:restart). */
  kind: z.enum(["build", "deploy"]),
  status: z.enum(BUILD_STATUSES),
  /** What started it, as Dokku records it: git-hook (a push, or ps:rebuild through receive-app), git:sync, git:from-image, config-redeploy… */
  source: z.string(),
  pid: z.number().int(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  /** Go's duration text ("42s", "1m5s"), as Dokku prints it. */
  duration: z.string(),
});
export type BuildRecord = z.infer<typeof buildRecord>;

export const buildsOps = {
  /** `builds:list APP --format json`: the builds Dokku recorded for the app, the running ones first, then newest first. */
  "builds.list": read({
    access: { scope: "app", area: "releases" },
    args: appOnly,
    result: z.object({ builds: z.array(buildRecord) }),
    timeoutMs: 30_000,
    freshMs: 0,
  }),
  /** `builds:output APP ID` of a build that ended: what it printed (its log file). */
  "builds.output": read({
    access: { scope: "app", area: "releases" },
    args: z.object({ app: appName, id: buildId }).strict(),
    result: z.object({ build: buildRecord, output: z.string() }),
    timeoutMs: 60_000,
    freshMs: 0,
  }),
  /** `builds:cancel APP`: stop the deploy running on the app (one started outside Docklight: Docklight's own have Cancel on their page). */
  "builds.cancel": change({
    access: { scope: "app", area: "deploy" },
    title: "Cancel the deploy of {app} started outside Docklight",
    args: appOnly,
    timeoutMs: 60_000,
    streams: false,
    invalidates: [...DEPLOYED],
  }),
} as const;
