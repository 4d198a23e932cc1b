import { dockerImage } from "../../protocol/ops/image.js";
import { flag } from "../process/argv-guard.js";
import type { OpContext } from "./types.js";

/**
 * The relay's only commands beyond `dokku`: three fixed `docker image` commands that keep the image
 * a release was deployed from (`git:from-image`), so a rollback can deploy it again. Every
 * reference is checked against Docker's reference grammar (protocol/ops/image.ts) before it is an
 * argument, never a shell; they run as the relay's user (in the docker group, as `dokku` needs).
 */

/** The repository the relay keeps release images under: `docklight-release:APP-N` (an app name is a valid tag, the number ends it). */
export const KEPT_REPOSITORY = "docklight-release";

/** The reference release `number` of `app` is kept under. */
export function keptTag(app: string, number: number): string {
  return dockerImage.parse(`${KEPT_REPOSITORY}:${app}-${number}`);
}

/** `docker image inspect --format {{.Id}} REF`: whether the image is on the host (exit 0), null when the relay has no docker. */
export async function imagePresent(ctx: OpContext, ref: string): Promise<boolean | null> {
  if (!ctx.docker) return null;
  const res = await ctx.docker(["image", "inspect", flag("--format"), "{{.Id}}", dockerImage.parse(ref)]);
  return res.exitCode === 0;
}

/** `docker image tag SOURCE TARGET`: keep SOURCE under TARGET; false when docker refused (SOURCE gone) or there is none. */
export async function tagImage(ctx: OpContext, source: string, target: string): Promise<boolean> {
  if (!ctx.docker) return false;
  const res = await ctx.docker(["image", "tag", dockerImage.parse(source), dockerImage.parse(target)]);
  return res.exitCode === 0;
}

/**
 * `docker image rm TAG`: drop a kept tag (docker only untags an image other tags or containers
 * still use). True when it is gone, whether this removed it or it was already ("No such image").
 */
export async function untagImage(ctx: OpContext, tag: string): Promise<boolean> {
  if (!ctx.docker) return false;
  const res = await ctx.docker(["image", "rm", dockerImage.parse(tag)]);
  return res.exitCode === 0 || /No such image/i.test(res.stderr);
}
