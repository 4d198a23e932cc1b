import { z } from "zod";

/*
 * A release's snapshot as stored, apart from how it is taken (./snapshot.ts, which runs catalog
 * reads): the history store, loaded at start, parses stored snapshots with it, and so loads none of
 * the op path before an op arrives (relay/cli/serve.ts).
 */

/**
 * What an app runs with, as a release keeps it. Config VALUES are in it: it lives in the relay's
 * SQLite only and never crosses the link (pages get keys, releases.values reveals on demand).
 */
export const snapshotSchema = z.object({
  config: z.record(z.string(), z.string()),
  scale: z.record(z.string(), z.number().int().min(0)),
  domains: z.array(z.string()),
  ports: z.array(z.string()),
  build: z.object({ builder: z.string(), buildDir: z.string(), buildpacks: z.array(z.string()), deployBranch: z.string() }),
  /** The commit Dokku built (git:report `git-sha`), "" when none. */
  sha: z.string(),
  /** apps:report `deploy-source` and its metadata as printed (the metadata can hold a remote with credentials: kept on the host only). */
  deploySource: z.string(),
  deploySourceMetadata: z.string(),
  /** apps:report `app-dir`: the app's own git repository on the host, which keeps the commits pushed to it ("" in snapshots before it was kept). */
  appDir: z.string().default(""),
  /** The tag the relay keeps an image release's image under (relay/releases/kept.ts), "" when none is kept (or no longer). */
  keptImage: z.string().default(""),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/**
 * Config keys Dokku itself writes on a deploy or a stop (GIT_REV from git's rev-env-var, DOKKU_*
 * such as DOKKU_APP_TYPE, DOKKU_PROXY_PORT, DOKKU_APP_RESTORE): not the user's config, so a diff
 * does not list them and a rollback does not set them back.
 */
export function isDokkuKey(key: string): boolean {
  return key === "GIT_REV" || key.startsWith("DOKKU_");
}
