import { GIT_GLOBAL_REPORT_SINCE } from "../../protocol/ops/host-settings.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { parseIndentedFields, parseJsonReport } from "../dokku/report.js";
import { versionAtLeast } from "../dokku/version.js";
import { END_OF_OPTIONS, flag } from "../process/argv-guard.js";
import { configRedaction } from "../process/redact.js";
import type { CatalogEntry, OpContext } from "./types.js";

/**
 * Host-wide settings through the `--global` forms of dokku/dokku's plugins. `domains:report
 * --global` prints only the global rows (cmd-domains-report-single in plugins/domains/internal-functions:
 * `Domains global enabled:` and `Domains global vhosts:` under "=====> Global domains information");
 * `config:keys --global` one key per line (CommandKeys in plugins/config/subcommands.go);
 * `git:report --global --format json` from 0.38.22 (plugins/git/report.go).
 */

/** domains:report --global's two rows (text on every version: bash through 0.38.21, Go's layout after). */
export function parseGlobalDomains(stdout: string): { domainsEnabled: boolean; domains: string[] } {
  const f = parseIndentedFields(stdout);
  const enabled = f["domains-global-enabled"];
  if (enabled === undefined) throw new OpFailure("dokku_error", "domains:report --global printed no 'Domains global enabled' row");
  return { domainsEnabled: enabled === "true", domains: (f["domains-global-vhosts"] ?? "").split(/\s+/).filter(Boolean) };
}

async function deployBranch(ctx: OpContext): Promise<string | null> {
  if (ctx.dokkuVersion === null || !versionAtLeast(ctx.dokkuVersion, GIT_GLOBAL_REPORT_SINCE)) return null;
  const res = await ctx.dokku(["git:report", flag("--global"), flag("--format"), "json"]);
  failIfFailed(res);
  const f = parseJsonReport(res.stdout);
  return f["git-global-deploy-branch"] ?? f["global-deploy-branch"] ?? "";
}

export const hostSettings: CatalogEntry<"host.settings"> = {
  async run(ctx) {
    const domains = await ctx.dokku(["domains:report", flag("--global")]);
    failIfFailed(domains);
    // the keys only: the values are never asked for
    const keys = await ctx.dokku(["config:keys", flag("--global")]);
    failIfFailed(keys);
    return {
      ...parseGlobalDomains(domains.stdout),
      configKeys: keys.stdout
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean),
      deployBranch: await deployBranch(ctx),
    };
  },
};

export const hostDomainsAdd: CatalogEntry<"host.domains.add"> = {
  async run(ctx, { domains }) {
    return commandResult(await ctx.dokku(["domains:add-global", ...domains]));
  },
};

export const hostDomainsRemove: CatalogEntry<"host.domains.remove"> = {
  async run(ctx, { domains }) {
    return commandResult(await ctx.dokku(["domains:remove-global", ...domains]));
  },
};

/** As config.set: base64 pairs after `--`, masked in history and output alike (configRedaction). */
export const hostConfigSet: CatalogEntry<"host.config.set"> = {
  async run(ctx, { vars }) {
    const pairs = Object.entries(vars).map(([k, v]) => `${k}=${Buffer.from(v, "utf8").toString("base64")}`);
    const head = ["config:set", flag("--global"), flag("--encoded"), END_OF_OPTIONS];
    return commandResult(await ctx.dokku([...head, ...pairs], { redact: configRedaction(vars, head.length) }));
  },
};

export const hostConfigUnset: CatalogEntry<"host.config.unset"> = {
  async run(ctx, { keys }) {
    return commandResult(await ctx.dokku(["config:unset", flag("--global"), END_OF_OPTIONS, ...keys]));
  },
};

/** `git:set --global deploy-branch [BRANCH]` (cmd-git-set in plugins/git/internal-functions; bash, positions). */
export const hostDeployBranch: CatalogEntry<"host.deployBranch"> = {
  async run(ctx, { branch }) {
    return commandResult(await ctx.dokku(["git:set", flag("--global"), "deploy-branch", ...(branch ? [branch] : [])]));
  },
};

export const hostCleanup: CatalogEntry<"host.cleanup"> = {
  async run(ctx) {
    return commandResult(await ctx.dokku(["cleanup"]));
  },
};

/** `plugin:update NAME` (cmd-plugin-update): a core plugin is refused by Dokku ("please update Dokku instead"). */
export const pluginsUpdate: CatalogEntry<"plugins.update"> = {
  async run(ctx, { name }) {
    return commandResult(await ctx.dokku(["plugin:update", name]));
  },
};
