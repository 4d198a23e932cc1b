import type { OpResult } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { appsRebuild, appsScaleSet } from "../catalog/apps.js";
import { configSet, configUnset } from "../catalog/config.js";
import type { OpContext } from "../catalog/types.js";
import { bangLines, commandResult } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { diffSnapshots, userConfig } from "./diff.js";
import { quiet } from "./record.js";
import { syncRemoteOf, takeSnapshot, type Snapshot } from "./snapshot.js";
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
 * How a rollback to `target` brings its code back, or why it cannot (said before anything runs):
 * - the commit running now: `ps:rebuild` deploys it again with the restored config and scale;
 * - another commit fetched with `git:sync` (Fetch and deploy): fetched again from the recorded
 *   repository by `git:sync APP REPO SHA` without `--build`, which points the deploy branch at it
 *   (fn-git-fetch in plugins/git/internal-functions: `update-ref refs/heads/BRANCH SHA^{commit}`),
 *   so an unreachable repository or a vanished commit fails before the config is touched; then one
 *   `ps:rebuild` builds it (receive-app builds the deploy branch: plugins/git/receive-app);
 * - another commit pushed with `git push`: Docklight has no repository to fetch it from;
 * - an image: not restorable by this relay yet.
 */
function codePlan(target: Snapshot, now: Snapshot): { code: Plan["code"]; blocked: string | null } {
  if (!target.sha) return { code: null, blocked: "the commit this release ran is not known (git:report printed none)" };
  if (target.sha === now.sha) return { code: { how: "rebuild", says: `rebuild commit ${short(target.sha)}, the one deployed now` }, blocked: null };
  const remote = syncRemoteOf(target);
  if (remote)
    return { code: { how: "git-sync", says: `fetch commit ${short(target.sha)} from ${maskUrlCredentials(remote)} again and build it` }, blocked: null };
  if (target.deploySource === "git-push") {
    return {
      code: null,
      blocked: `commit ${short(target.sha)} was deployed with git push, and the relay has no repository to fetch it from. Push it again (git push dokku ${short(target.sha)}:BRANCH --force), or deploy it from Git on the Deploy tab; nothing was changed.`,
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
  const { code, blocked } = codePlan(release.snapshot, now);
  return { target, diff: diffSnapshots(now, release.snapshot), code, blocked, now, release };
}

/**
 * releases.rollback, one change: the plan first (blocked: nothing runs); the recorded commit
 * fetched when it is another one (a repository that cannot be reached stops it here, before the
 * config is touched); then release N's config (one `config:set --no-restart` with every key, one
 * `config:unset --no-restart` for keys added since), its scale (`ps:scale --skip-deploy`, process
 * types added since set to 0), and one `ps:rebuild` that deploys it all. Keys Dokku writes itself
 * (GIT_REV, DOKKU_*) are left to Dokku. Its release is recorded by the change's end (record.ts).
 */
export async function runRollback(ctx: OpContext, app: string, number: number): Promise<{ output: string; warning?: string }> {
  const plan = await planRollback(quiet(ctx), app, number);
  if (plan.blocked !== null || plan.now === null || plan.release.snapshot === null)
    throw new OpFailure("bad_request", `Cannot roll back ${app} to release ${number}: ${plan.blocked}`);
  const target = plan.release.snapshot;
  const outputs: string[] = [];
  if (plan.code?.how === "git-sync") {
    const remote = syncRemoteOf(target)!;
    const res = await ctx.dokku(["git:sync", app, remote, target.sha]);
    if (res.exitCode !== 0 && res.stopped === null && bangLines(res.stderr).length === 0) {
      throw new OpFailure(
        "dokku_error",
        `git could not fetch commit ${short(target.sha)} from ${maskUrlCredentials(remote)} (exit ${res.exitCode}); nothing was changed.`,
      );
    }
    outputs.push(commandResult(res, app).output);
  }
  const vars = userConfig(target.config);
  if (Object.keys(vars).length > 0) outputs.push((await configSet.run(ctx, { app, vars, noRestart: true })).output);
  const added = Object.keys(userConfig(plan.now.config)).filter((k) => !Object.hasOwn(vars, k));
  if (added.length > 0) outputs.push((await configUnset.run(ctx, { app, keys: added, noRestart: true })).output);
  if (plan.diff && plan.diff.scale.length > 0) {
    const scale = Object.fromEntries([...Object.keys(plan.now.scale).map((t) => [t, 0] as const), ...Object.entries(target.scale)]);
    outputs.push((await appsScaleSet.run(ctx, { app, scale, skipDeploy: true })).output);
  }
  const deployed = await appsRebuild.run(ctx, { app });
  outputs.push(deployed.output);
  return deployed.warning === undefined ? { output: outputs.join("") } : { output: outputs.join(""), warning: deployed.warning };
}
