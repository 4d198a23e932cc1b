import { buildpacksAdd, buildpacksClear, builderSet, gitSetDeployBranch } from "../catalog/deploy.js";
import { domainsAdd, domainsRemove } from "../catalog/domains.js";
import { portsAdd, portsRemove } from "../catalog/ports.js";
import type { OpContext } from "../catalog/types.js";
import { BUILDERS } from "../../protocol/names.js";
import type { Snapshot } from "./snapshot.js";

const only = (xs: string[], ys: string[]) => xs.filter((x) => !ys.includes(x));

/**
 * The deploy branch of `target`, when it differs from `now`'s (`git:set APP deploy-branch [BRANCH]`,
 * none: follow the global one). Set before the code is fetched: fn-git-fetch points the computed
 * deploy branch at the commit (plugins/git/internal-functions), and ps:rebuild builds that branch.
 * Returns what it printed, or null when nothing was to change.
 */
export async function restoreDeployBranch(ctx: OpContext, app: string, now: Snapshot, target: Snapshot): Promise<string | null> {
  if (now.build.deployBranch === target.build.deployBranch) return null;
  const branch = target.build.deployBranch;
  return (await gitSetDeployBranch.run(ctx, { app, ...(branch ? { branch } : {}) })).output;
}

/**
 * What a rollback restores besides config, scale and code, each only when it differs, none of them
 * deploying (the one `ps:rebuild` after does): domains (`domains:remove` of those added since,
 * `domains:add` of those removed since: the proxy config is rebuilt, no deploy), port mappings
 * (`ports:remove` / `ports:add` likewise), the builder and build directory (`builder:set`, an empty
 * value unsets), and the buildpacks in their order (`buildpacks:clear`, then `buildpacks:add` of
 * each). Returns what each command printed.
 */
export async function restoreSettings(ctx: OpContext, app: string, now: Snapshot, target: Snapshot): Promise<string[]> {
  const out: string[] = [];
  const run = async (p: Promise<{ output: string }>) => out.push((await p).output);
  const [domainsGone, domainsBack] = [only(now.domains, target.domains), only(target.domains, now.domains)];
  if (domainsGone.length > 0) await run(domainsRemove.run(ctx, { app, domains: domainsGone }));
  if (domainsBack.length > 0) await run(domainsAdd.run(ctx, { app, domains: domainsBack }));
  const [portsGone, portsBack] = [only(now.ports, target.ports), only(target.ports, now.ports)];
  if (portsGone.length > 0) await run(portsRemove.run(ctx, { app, mappings: portsGone }));
  if (portsBack.length > 0) await run(portsAdd.run(ctx, { app, mappings: portsBack }));
  // a builder Docklight cannot name (a plugin's own) is left as it is
  const builder = target.build.builder === "" ? undefined : BUILDERS.find((b) => b === target.build.builder);
  if (now.build.builder !== target.build.builder && (target.build.builder === "" || builder))
    await run(builderSet.run(ctx, { app, property: "selected", ...(builder ? { value: builder } : {}) }));
  if (now.build.buildDir !== target.build.buildDir)
    await run(builderSet.run(ctx, { app, property: "build-dir", ...(target.build.buildDir ? { value: target.build.buildDir } : {}) }));
  if (now.build.buildpacks.join("\n") !== target.build.buildpacks.join("\n")) {
    await run(buildpacksClear.run(ctx, { app }));
    for (const url of target.build.buildpacks) await run(buildpacksAdd.run(ctx, { app, url }));
  }
  return out;
}
