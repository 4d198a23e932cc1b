import { imagePresent, keptTag, tagImage, untagImage } from "../catalog/kept-images.js";
import type { OpContext } from "../catalog/types.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Images kept for rollback. Dokku deploys an image again only with `git:from-image`, which pulls
 * (unless the reference is on the host) and deploys at once (cmd-git-from-image in
 * plugins/git/internal-functions, trigger-git-git-from-image in plugins/git/git-from-image): the
 * recorded reference may since have moved (a tag pushed again) or gone. So when a release deployed
 * from an image goes live, the relay tags that image `docklight-release:APP-N` (a tag only: no
 * copy, no pull), keeps the newest `ctx.keptImages` per app (default 5) and untags older ones; a
 * rollback deploys the kept tag with `git:from-image`, which finds it on the host and skips the pull.
 */

/**
 * Keep release `number`'s image (its snapshot deployed from one) and drop the app's kept images past
 * the newest `ctx.keptImages`. Never throws: a release whose image could not be kept has none, and
 * a rollback to it says so before anything runs.
 */
export async function keepReleaseImage(ctx: OpContext, app: string, number: number, snapshot: Snapshot | null): Promise<void> {
  if (!ctx.docker || snapshot?.deploySource !== "docker-image" || !snapshot.deploySourceMetadata) return;
  try {
    const tag = keptTag(app, number);
    if (ctx.keptImages > 0 && (await tagImage(ctx, snapshot.deploySourceMetadata, tag))) ctx.history.releases.setKeptImage(app, number, tag);
    for (const [n, old] of ctx.history.releases.keptImages(app).slice(ctx.keptImages))
      if (await untagImage(ctx, old)) ctx.history.releases.setKeptImage(app, n, "");
  } catch {
    // a reference docker's grammar refuses, or a command that could not run: nothing kept
  }
}

/**
 * Whether release `number`'s kept image can be deployed again, or why not (said before anything
 * runs): no docker, never kept, or no longer on the host.
 */
export async function keptImageOf(ctx: OpContext, snapshot: Snapshot): Promise<{ tag: string } | { blocked: string }> {
  const image = snapshot.deploySourceMetadata || "(unknown)";
  if (!ctx.docker)
    return { blocked: `this release was deployed from the image ${image}, and the relay finds no docker command on this host to keep or check images with` };
  if (!snapshot.keptImage)
    return {
      blocked: `the relay did not keep the image ${image} of this release (it keeps the images of the last ${ctx.keptImages} image releases per app, from the release they were deployed in), so it cannot be deployed again as it was`,
    };
  if (!(await imagePresent(ctx, snapshot.keptImage)))
    return {
      blocked: `the image the relay kept for this release (${snapshot.keptImage}, of ${image}) is no longer on the host (removed by hand or by a docker prune)`,
    };
  return { tag: snapshot.keptImage };
}
