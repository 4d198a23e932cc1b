import { z } from "zod";
import type { ReleaseSource } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";

// The shape of a snapshot only: reading one from the host (catalog parsers) is take-snapshot.ts, so
// the release store and its diff depend on this leaf and no import circle runs back through the
// catalog to the history store.

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
