import { z } from "zod";
import { appName } from "../names.js";
import { buildRecord } from "./builds.js";
import { appOnly, change, DEPLOYED, FRESH_MS, noArgs, read } from "./spec.js";

/**
 * Releases: each deploy an app had, what it ran with, and rolling back to one. The relay keeps each
 * release's snapshot (config keys AND values, scale, domains, ports, build settings) on the host;
 * what crosses to the edge names config keys only, and says which were added, removed or changed.
 * A value is shown only by releases.values, an op that reveals (as config.get does).
 */

/** A release's number, counted per app from 1. */
export const releaseNumber = z.number().int().min(1).max(1_000_000_000);

/** How a release ended: as its change ended (history's outcomes), or as Dokku recorded a build made outside Docklight. */
export const RELEASE_OUTCOMES = ["ok", "error", "timeout", "killed", "cancelled", "running"] as const;
export const releaseOutcome = z.enum(RELEASE_OUTCOMES);
export type ReleaseOutcome = z.infer<typeof releaseOutcome>;

/**
 * Where a release's code came from, as apps:report and git:report told it right after the deploy:
 * `kind` from apps:report's deploy source (`git-sync` → "git-sync", `git-push`/`git-hook` → "git-push",
 * `docker-image`/image sources → "image"), the commit Dokku built (git:report's `git-sha`), the
 * repository it was fetched from (credentials masked), the image reference.
 */
export const releaseSource = z.object({
  kind: z.enum(["git-sync", "git-push", "image", "unknown"]),
  sha: z.string(),
  repo: z.string(),
  image: z.string(),
});
export type ReleaseSource = z.infer<typeof releaseSource>;

/** Names added, removed and changed between two sets (config keys, domains, ports): names only. */
export const keyChanges = z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) });
export type KeyChanges = z.infer<typeof keyChanges>;

/**
 * What differs from one state of an app to another (a release to the next, the live release to the
 * host now, the host now to a rollback's target): config KEYS only, never a value.
 */
export const releaseDiff = z.object({
  /** The commits, when they differ ("" where unknown). */
  code: z.object({ from: z.string(), to: z.string() }).nullable(),
  config: keyChanges,
  /** Process types whose count differs (null: the type is not there). */
  scale: z.array(z.object({ type: z.string(), from: z.number().int().nullable(), to: z.number().int().nullable() })),
  domains: keyChanges,
  ports: keyChanges,
  /** Build settings the dashboard manages (builder, build-dir, buildpacks, deploy branch) that differ. */
  build: z.array(z.object({ setting: z.string(), from: z.string(), to: z.string() })),
});
export type ReleaseDiff = z.infer<typeof releaseDiff>;

/** One release as pages list it. */
export const releaseSummary = z.object({
  app: z.string(),
  number: releaseNumber,
  /** The change that made it (its page, its history rows), or null for a deploy made outside Docklight. */
  opId: z.string().nullable(),
  /** What started it: the op, or Dokku's build source for one made outside Docklight ("git-hook", "ps:rebuild"). */
  startedWith: z.string(),
  /** A human title ("Rebuild api", "Roll back api to release 2"). */
  title: z.string(),
  /** Who: the signed op's user, or "outside Docklight". */
  by: z.string(),
  outside: z.boolean(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  outcome: releaseOutcome,
  source: releaseSource,
  /** Dokku's build id (0.38+: builds:list), when Dokku recorded one for it. */
  buildId: z.string().nullable(),
  /** Whether the relay holds what the app ran with (only a release that went live has one). */
  snapshot: z.boolean(),
  /** The release a rollback went back to. */
  rollbackTo: releaseNumber.nullable(),
  /** The release running now: the newest one that went live. */
  live: z.boolean(),
  /** What it changed from the release live before it (null: none before it, or no snapshot). */
  diff: releaseDiff.nullable(),
});
export type ReleaseSummary = z.infer<typeof releaseSummary>;

/**
 * How a rollback brings the code back: rebuild the commit deployed now, fetch another from the
 * repository it was fetched from ("git-sync"), or point the deploy branch at a commit pushed
 * before, still in the app's own repository on the host ("app-repo"); then build it.
 */
export const rollbackCode = z.object({
  /** rebuild the commit deployed now, git:sync it from its repository or the app's own, or deploy the image the relay kept. */
  how: z.enum(["rebuild", "git-sync", "app-repo", "image"]),
  /** What will be deployed, e.g. "commit 1a2b3c4 from https://…" (no credential). */
  says: z.string(),
});

/**
 * The reads releases.drift is made of: what a snapshot reads (relay/releases/snapshot.ts: config,
 * scale, domains, ports, apps/builder/git reports, buildpacks) and the releases themselves. A change
 * that makes one of them stale makes releases.drift stale (invalidatesOf in protocol/ops.ts).
 */
export const DRIFT_READS: readonly string[] = [
  "config.get",
  "apps.scale.show",
  "domains.report",
  "ports.report",
  "deploy.report",
  "buildpacks.report",
  "releases.list",
];

/** What differs from the live release: what Docklight changed since (`pending`) and what was changed outside it (keys only). */
export const releaseDrift = z.object({
  /** The live release compared with, or null when the app has none (then nothing is compared). */
  live: releaseNumber.nullable(),
  /** Changed through Docklight since the live release: the next deploy records it. */
  pending: releaseDiff.nullable(),
  /** Changed outside Docklight since the live release (over SSH, another tool): keep it or revert it. */
  outside: releaseDiff.nullable(),
});
export type ReleaseDrift = z.infer<typeof releaseDrift>;

export const releasesOps = {
  /**
   * An app's releases, newest first (at most 50), each with its diff against the one before it. On
   * 0.38+ it first reads Dokku's build records and records the deploys made outside Docklight it
   * had not seen (relay/releases/outside.ts).
   */
  "releases.list": read({
    access: { scope: "app", area: "releases" },
    args: appOnly,
    result: z.object({
      releases: z.array(releaseSummary),
      /** Whether Dokku records builds here (0.38+: builds:list); before, deploys made outside Docklight leave no record. */
      seesOutside: z.boolean(),
      /** Deploys started outside Docklight that run now (builds:list): each can be cancelled (builds.cancel). */
      running: z.array(buildRecord),
      /** Why Dokku's build records could not be read this time (the list is Docklight's own then), or null. */
      outsideError: z.string().nullable(),
      /** How many deploys made outside Docklight this read noticed and recorded as releases. */
      noticed: z.number().int().min(0).default(0),
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
    // a deploy noticed here moved the live release: the drift read against the one before is stale
    stales: (r) => (r.noticed > 0 ? ["releases.drift", "releases.recent"] : []),
  }),
  /** The newest releases on the host, every app (at most 30). */
  "releases.recent": read({
    access: { scope: "host", area: "releases" },
    args: noArgs,
    result: z.object({ releases: z.array(releaseSummary), seesOutside: z.boolean() }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /**
   * What rolling back to release N would change on the app as it is now (keys only), how its code
   * comes back, and why it cannot be done when it cannot (`blocked`), before anything runs.
   */
  "releases.plan": read({
    access: { scope: "app", area: "releases" },
    args: z.object({ app: appName, number: releaseNumber }).strict(),
    result: z.object({
      target: releaseSummary,
      diff: releaseDiff.nullable(),
      code: rollbackCode.nullable(),
      blocked: z.string().nullable(),
    }),
    timeoutMs: 60_000,
    freshMs: 0,
  }),
  /**
   * What changed since the live release: reads the app now (config:export, scale, domains, ports,
   * build settings) and tells Docklight's own changes (its history since the release) from the rest.
   * Cached like the reads it is made of (DRIFT_READS): a change that makes one of them stale makes
   * it stale too, so a view of the Releases or Deploy tab does not read the host eight times again.
   */
  "releases.drift": read({
    access: { scope: "app", area: "releases" },
    args: appOnly,
    result: releaseDrift,
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  /** Keep what was changed outside Docklight: record the app's state now as a release (nothing on the host changes). */
  "releases.keep": change({
    access: { scope: "app", area: "releases" },
    title: "Keep the changes made to {app} outside Docklight",
    args: appOnly,
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["releases.list", "releases.recent"],
  }),
  /**
   * Revert what was changed outside Docklight to the live release's values: config keys (one
   * `config:unset --no-restart`, then one `config:set` that restarts), scale (`ps:scale`), domains.
   */
  "releases.revert": change({
    access: { scope: "app", area: "releases" },
    title: "Revert the changes made to {app} outside Docklight",
    args: appOnly,
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: [...DEPLOYED, "config.get", "domains.report", "domains.all"],
  }),
  /** Release N's config values: reveals secrets (as config.get does); never cached in storage. */
  "releases.values": read({
    access: { scope: "app", area: "releases", reveals: true },
    args: z.object({ app: appName, number: releaseNumber }).strict(),
    result: z.object({ vars: z.record(z.string(), z.string()) }),
    timeoutMs: 30_000,
    freshMs: 0,
    secret: true,
  }),
  /**
   * Roll back to release N, as one change: its deploy branch and code (the recorded commit fetched
   * without building), its config (one `config:set --no-restart` with every key, one `config:unset
   * --no-restart` for keys added since), its scale (`ps:scale --skip-deploy`), domains, ports and
   * build settings, then one `ps:rebuild` (a release deployed from an image: one `git:from-image`
   * of the image the relay kept, relay/releases/kept.ts). It is a release too.
   */
  "releases.rollback": change({
    access: { scope: "app", area: "releases" },
    title: (a: { app: string; number: number }) => `Roll back ${a.app} to release ${a.number}`,
    args: z.object({ app: appName, number: releaseNumber }).strict(),
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: [...DEPLOYED, "config.get", "domains.report", "domains.all", "buildpacks.report"],
    deploys: true,
  }),
} as const;
