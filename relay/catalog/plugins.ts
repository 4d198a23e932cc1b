import { z } from "zod";
import type { PluginInfo, PluginStatus } from "../../protocol/ops/plugins.js";
import { failIfFailed } from "../dokku/output.js";
import { versionAtLeast } from "../dokku/version.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry, type OpContext } from "./types.js";
import { flag } from "../process/argv-guard.js";

type Plugin = PluginInfo;

/**
 * `plugin:list` text rows: `printf "  %-20s %-5s %-10s %s"` of name, version, enabled|disabled,
 * description (parsePlugnList in plugins/plugin/plugin.go of dokku/dokku reads the same). Long names
 * overflow their column, so split on whitespace. A `plugn: …` line is tolerated; any other line in no
 * known form throws: a list that cannot be read is not an empty one.
 */
export function parsePluginList(stdout: string): Plugin[] {
  const plugins: Plugin[] = [];
  for (const raw of stdout.split("\n")) {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("plugn:")) continue;
    const m = line.match(/^(\S+)\s+(\S+)\s+(enabled|disabled)(?:\s+(.*))?$/);
    if (!m) throw new Error(`unexpected line "${line.length > 80 ? `${line.slice(0, 80)}…` : line}"`);
    plugins.push({ name: m[1]!, version: m[2]!, enabled: m[3] === "enabled", description: (m[4] ?? "").trim() });
  }
  return plugins;
}

const pluginJson = z.array(
  z.object({
    name: z.string(),
    version: z.string().default(""),
    enabled: z.union([z.boolean(), z.enum(["true", "false"])]),
    description: z.string().default(""),
  }),
);

/** `plugin:list --format json` (0.38.22+). */
export function parsePluginJson(stdout: string): Plugin[] {
  return pluginJson.parse(JSON.parse(stdout.trim() || "[]")).map((p) => ({
    name: p.name,
    version: p.version,
    enabled: p.enabled === true || p.enabled === "true",
    description: p.description,
  }));
}

export async function listPlugins(ctx: OpContext): Promise<Plugin[]> {
  const json = versionAtLeast(ctx.dokkuVersion, "0.38.22");
  const res = await ctx.dokku(json ? ["plugin:list", flag("--format"), "json"] : ["plugin:list"]);
  failIfFailed(res);
  try {
    return json ? parsePluginJson(res.stdout) : parsePluginList(res.stdout);
  } catch (e) {
    throw new OpFailure("dokku_error", `plugin:list printed output the relay could not read: ${(e as Error).message}`);
  }
}

export const pluginsList: CatalogEntry<"plugins.list"> = {
  async run(ctx) {
    return { plugins: await listPlugins(ctx) };
  },
};

/**
 * A plugin's state from plugin:list: `enabled`/`disabled` as listed (a name installed as
 * `dokku-NAME` counts as NAME), missing when not listed, too old when its version is below
 * `minVersion` (a version that is not dotted numbers cannot be compared and is taken as new enough).
 */
export function pluginStatusOf(plugins: PluginInfo[], name: string, minVersion: string | null = null): PluginStatus {
  const p = plugins.find((x) => x.name === name || x.name === `dokku-${name}`);
  if (!p) return { name, state: "missing", version: null, minVersion };
  if (!p.enabled) return { name, state: "disabled", version: p.version, minVersion };
  const comparable = /^\d+(\.\d+)*$/.test(p.version);
  if (minVersion && comparable && !versionAtLeast(p.version, minVersion)) return { name, state: "too-old", version: p.version, minVersion };
  return { name, state: "enabled", version: p.version, minVersion };
}

/** One plugin's state, read from plugin:list. */
export async function pluginStatus(ctx: OpContext, name: string, minVersion: string | null = null): Promise<PluginStatus> {
  return pluginStatusOf(await listPlugins(ctx), name, minVersion);
}
