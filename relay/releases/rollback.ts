import type { OpResult } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { appsRebuild, appsScaleSet } from "../catalog/apps.js";
import { configSet, configUnset } from "../catalog/config.js";
import type { OpContext } from "../catalog/types.js";
import { bangLines, commandResult } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { diffSnapshots, userConfig } from "./diff.js";
import { quiet } from "./record.js";
import { gitFromImage } from "../catalog/image.js";
import { keptImageOf } from "./kept.js";
import { restoreDeployBranch, restoreSettings } from "./restore.js";
import { syncRemoteOf, type Snapshot } from "./snapshot.js";
import { takeSnapshot } from "./take-snapshot.js";
import { summaryOf, type Release } from "./store.js";

type Plan = OpResult<"releases.plan">;

const short = (sha: string) => sha.slice(0, 7);

/** The release `number` of `app`, or not_found. */
function releaseOf(ctx: OpContext, app: string, number: number): Release {
  const r = ctx.history.releases.get(app, number);
  if (!r) throw new OpFailure("not_found", `${app} has no release ${number} recorded on this host`);
  return r;
}

/**
 * How a rollback to `target` brings its code back, or why it cannot (said before anything runs).
 * Dokku keeps no old images to deploy again, but its git plugin deploys whatever commit the deploy
 * branch points at: `git:sync APP REMOTE SHA` without `--build` fetches REMOTE and points the
 * deploy branch at SHA (fn-git-fetch in plugins/git/internal-functions: `update-ref
 * refs/heads/BRANCH SHA^{commit}`, failing when the commit is not there), and `ps:rebuild` builds
 * the deploy branch (receive-app → git_build in plugins/git/functions). So:
 * - the commit running now: `ps:rebuild` alone deploys it again with the restored config;
 * - another commit fetched with Fetch and deploy (`git:sync`): fetched again from the recorded
 *   repository, so an unreachable repository or a vanished commit fails before the config is touched;
 * - another commit deployed with `git push`: the push left its objects in the app's own bare
 *   repository on the host (apps:report `app-dir`, fn-git-create-hook's `git init --bare`), so it
 *   is "fetched" from there: no network, and a commit git has since pruned fails the same way;
 * - an image (`git:from-image`): the image the relay kept when the release went live (kept.ts),
 *   deployed with `git:from-image`, which finds it on the host and skips the pull; checked here with
 *   `docker image inspect`, so a kept image since removed refuses the rollback before anything runs.
 */
async function codePlan(ctx: OpContext, number: number, target: Snapshot, now: Snapshot): Promise<{ code: Plan["code"]; blocked: string | null }> {
  if (target.deploySource === "docker-image") {
    const kept = await keptImageOf(ctx, target);
    if ("blocked" in kept) return { code: null, blocked: `${kept.blocked}; nothing was changed.` };
    return {
      code: { how: "image", says: `deploy the image ${target.deploySourceMetadata} again, as the relay kept it at release ${number} (${kept.tag})` },
      blocked: null,
    };
  }
  if (!target.sha) return { code: null, blocked: "the commit this release ran is not known (git:report printed none)" };
  if (target.sha === now.sha) return { code: { how: "rebuild", says: `rebuild commit ${short(target.sha)}, the one deployed now` }, blocked: null };
  const remote = syncRemoteOf(target);
  if (remote)
    return { code: { how: "git-sync", says: `fetch commit ${short(target.sha)} from ${maskUrlCredentials(remote)} again and build it` }, blocked: null };
  if (target.deploySource === "git-push") {
    const dir = now.appDir || target.appDir;
    if (dir)
      return {
        code: { how: "app-repo", says: `build commit ${short(target.sha)} again from the app's own repository on the host (it was pushed there)` },
        blocked: null,
      };
    return {
      code: null,
      blocked: `commit ${short(target.sha)} was deployed with git push, and apps:report names no repository of the app to take it from; nothing was changed.`,
    };
  }
  return {
    code: null,
    blocked: `this release was deployed from ${target.deploySource || "an unknown source"}, which the relay cannot deploy again; nothing was changed.`,
  };
}

/** releases.plan: what rolling back to release `number` changes on the app as it is now (keys only), and how; nothing runs. */
export async function planRollback(ctx: OpContext, app: string, number: number): Promise<Plan & { now: Snapshot | null; release: Release }> {
  const release = releaseOf(ctx, app, number);
  const target = summaryOf(release, ctx.history.releases.live(app)?.number ?? null, null);
  if (release.outcome !== "ok" || release.snapshot === null) {
    return {
      target,
      diff: null,
      code: null,
      blocked: `release ${number} did not go live (${release.outcome}): there is nothing to roll back to`,
      now: null,
      release,
    };
  }
  const now = await takeSnapshot(ctx, app);
  const { code, blocked } = await codePlan(ctx, number, release.snapshot, now);
  return { target, diff: diffSnapshots(now, release.snapshot), code, blocked, now, release };
}

/**
 * releases.rollback, one change: the plan first (blocked: nothing runs); release N's deploy branch,
 * then its commit fetched when it is another one (a commit that cannot be had stops it here, the
 * branch set back: nothing changed); then release N's config (one `config:set --no-restart` with
 * every key, one `config:unset --no-restart` for keys added since), its scale (`ps:scale
 * --skip-deploy`, process types added since set to 0), its domains, ports and build settings
 * (restore.ts), and one `ps:rebuild` that deploys it all (an image release: one `git:from-image`
 * of its kept image instead). Keys Dokku writes itself (GIT_REV,
 * DOKKU_*) are left to Dokku. Its release is recorded by the change's end (record.ts).
 */
export async function runRollback(ctx: OpContext, app: string, number: number): Promise<{ output: string; warning?: string }> {
  const plan = await planRollback(quiet(ctx), app, number);
  if (plan.blocked !== null || plan.now === null || plan.release.snapshot === null)
    throw new OpFailure("bad_request", `Cannot roll back ${app} to release ${number}: ${plan.blocked}`);
  const target = plan.release.snapshot;
  const now = plan.now;
  const outputs: string[] = [];
  const branch = await restoreDeployBranch(ctx, app, now, target);
  if (branch !== null) outputs.push(branch);
  if (plan.code?.how === "git-sync" || plan.code?.how === "app-repo") {
    const remote = plan.code.how === "git-sync" ? syncRemoteOf(target)! : now.appDir || target.appDir;
    const res = await ctx.dokku(["git:sync", app, remote, target.sha]);
    if (res.exitCode !== 0 && res.stopped === null) {
      if (branch !== null) await restoreDeployBranch(ctx, app, target, now);
      if (bangLines(res.stderr).length === 0) {
        const from =
          plan.code.how === "git-sync" ? `from ${maskUrlCredentials(remote)}` : `from ${app}'s own repository on the host (git may have pruned it since)`;
        throw new OpFailure("dokku_error", `git could not fetch commit ${short(target.sha)} ${from} (exit ${res.exitCode}); nothing was changed.`);
      }
    }
    outputs.push(commandResult(res, app).output);
  }
  const vars = userConfig(target.config);
  if (Object.keys(vars).length > 0) outputs.push((await configSet.run(ctx, { app, vars, noRestart: true })).output);
  const added = Object.keys(userConfig(now.config)).filter((k) => !Object.hasOwn(vars, k));
  if (added.length > 0) outputs.push((await configUnset.run(ctx, { app, keys: added, noRestart: true })).output);
  if (plan.diff && plan.diff.scale.length > 0) {
    const scale = Object.fromEntries([...Object.keys(now.scale).map((t) => [t, 0] as const), ...Object.entries(target.scale)]);
    outputs.push((await appsScaleSet.run(ctx, { app, scale, skipDeploy: true })).output);
  }
  outputs.push(...(await restoreSettings(ctx, app, now, target)));
  // an image release comes back from its kept image (git:from-image deploys it), any other by building the deploy branch
  const deployed = plan.code?.how === "image" ? await gitFromImage.run(ctx, { app, image: target.keptImage }) : await appsRebuild.run(ctx, { app });
  outputs.push(deployed.output);
  return deployed.warning === undefined ? { output: outputs.join("") } : { output: outputs.join(""), warning: deployed.warning };
}
