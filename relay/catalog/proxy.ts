import { z } from "zod";
import { NGINX_KEYS, type NginxKey, type NginxValue } from "../../protocol/ops/proxy.js";
import { OpFailure } from "../dokku/failure.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { bool, checked } from "../dokku/report.js";
import { requireSince, unlessMissing } from "../dokku/since.js";
import { checkArgv, type Arg } from "../process/argv-guard.js";
import type { CatalogEntry, OpContext } from "./types.js";

/** `proxy:report` fields after the prefix is stripped (0.35: four; 0.38.8+ adds ports and `disabled`, not read here). */
const proxyDetail = z.object({
  enabled: bool,
  type: z.string().default(""),
  "global-type": z.string().default(""),
  "computed-type": z.string().default(""),
});

/**
 * `proxy:report APP` (plugins/proxy/report.go of dokku/dokku, Go, JSON since 0.23.1): `enabled` is
 * false while DOKKU_DISABLE_PROXY is set (0.35) or the `disabled` property is (0.38). On 0.35 the
 * computed type is the global one whenever one is set (reportComputedType there checks the global
 * type first, and it defaults to nginx); the page shows the app's own type beside it.
 */
export const proxyReport: CatalogEntry<"proxy.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "proxy:report", app, { jsonSince: JSON_SINCE.go, prefixes: ["proxy"] });
    const d = checked(proxyDetail, r.fields, "proxy:report");
    return { enabled: d.enabled === "true", type: d.type, globalType: d["global-type"], computedType: d["computed-type"], format: r.format };
  },
};

/** Two commands' output as one change's: the second's follows the first's. */
function joined(...results: Array<{ output: string; warning?: string }>): { output: string; warning?: string } {
  const warnings = results.flatMap((r) => (r.warning === undefined ? [] : [r.warning]));
  const output = results.map((r) => r.output).join("");
  return warnings.length > 0 ? { output, warning: warnings.join("\n") } : { output };
}

/** `proxy:build-config APP` (plugins/proxy/subcommands.go): rebuilds the app's proxy config from its settings. */
async function buildConfig(ctx: OpContext, app: string) {
  return commandResult(await ctx.dokku(["proxy:build-config", app]), app);
}

export const proxyEnable: CatalogEntry<"proxy.enable"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["proxy:enable", app]), app);
  },
};

export const proxyDisable: CatalogEntry<"proxy.disable"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["proxy:disable", app]), app);
  },
};

/** `proxy:set APP TYPE` (CommandSet in plugins/proxy/subcommands.go), then the config is rebuilt. */
export const proxySetType: CatalogEntry<"proxy.setType"> = {
  async run(ctx, { app, type }) {
    const set = commandResult(await ctx.dokku(["proxy:set", app, type]), app);
    return joined(set, await buildConfig(ctx, app));
  },
};

/**
 * `nginx:report APP`: bash (cmd-nginx-report-single in plugins/nginx-vhosts/command-functions of
 * dokku/dokku: 30-column text before 0.38.0, `--format json` with the `nginx-` prefix stripped from
 * 0.38.0), Go from 0.38.22 (plugins/nginx-vhosts/report.go, TrimPrefix without the legacy keys).
 * Each property comes three ways: `nginx-KEY` (the app's), `nginx-global-KEY`, `nginx-computed-KEY`.
 */
export const nginxReport: CatalogEntry<"nginx.report"> = {
  async run(ctx, { app }) {
    const r = await readReport(ctx, "nginx:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["nginx"] });
    if (!(`computed-${NGINX_KEYS[0]}` in r.fields)) throw new OpFailure("dokku_error", "nginx:report did not have the expected fields");
    const settings = Object.fromEntries(
      NGINX_KEYS.map((k): [NginxKey, NginxValue] => [
        k,
        { app: r.fields[k] ?? "", global: r.fields[`global-${k}`] ?? "", computed: r.fields[`computed-${k}`] ?? "" },
      ]),
    ) as Record<NginxKey, NginxValue>;
    return { settings, format: r.format };
  },
};

/**
 * `nginx:set APP KEY VALUE` for each setting (no VALUE unsets it: cmd-nginx-set in
 * plugins/nginx-vhosts/subcommands/set), then `proxy:build-config APP` so the change is served.
 * nginx:set never checks the app for the keys offered here (they are all GLOBAL_KEYS, for which it
 * skips verify_app_name), so `apps:exists` goes first: a missing app is not_found and nothing is written.
 */
export const nginxSet: CatalogEntry<"nginx.set"> = {
  async run(ctx, { app, settings }) {
    const sets = NGINX_KEYS.flatMap((key): Arg[][] => {
      const value = settings[key];
      return value === undefined ? [] : [value === null ? ["nginx:set", app, key] : ["nginx:set", app, key, value]];
    });
    // every command is checked before the first runs: a refused value leaves nothing half-done
    for (const argv of sets) checkArgv(argv);
    failIfFailed(await ctx.dokku(["apps:exists", app]), app);
    const results = [];
    for (const argv of sets) results.push(commandResult(await ctx.dokku(argv), app));
    return joined(...results, await buildConfig(ctx, app));
  },
};

/** `nginx:reload` (cmd-nginx-reload in plugins/nginx-vhosts/command-functions, Dokku 0.38.0+): `nginx -t`, then reload. */
export const nginxReload: CatalogEntry<"nginx.reload"> = {
  async run(ctx) {
    requireSince(ctx, "nginx:reload", "0.38.0");
    return commandResult(unlessMissing(await ctx.dokku(["nginx:reload"]), "nginx:reload", "0.38.0", ctx.dokkuVersion));
  },
};
