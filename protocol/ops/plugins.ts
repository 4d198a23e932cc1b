import { z } from "zod";
import { FRESH_MS, noArgs, read } from "./spec.js";

/** The Dokku plugins installed on the host, and what state a plugin the dashboard needs is in. */

export const pluginInfo = z.object({ name: z.string(), version: z.string(), enabled: z.boolean(), description: z.string() });
export type PluginInfo = z.infer<typeof pluginInfo>;

/**
 * A plugin the dashboard needs, as `plugin:list` shows it: installed and enabled, installed but
 * disabled (`plugin:disable` leaves it listed as `disabled` and its commands are then "not a dokku
 * command"), not listed at all, or older than the commands the dashboard runs.
 */
export const pluginState = z.enum(["enabled", "disabled", "missing", "too-old"]);
export type PluginState = z.infer<typeof pluginState>;

export const pluginStatus = z.object({
  name: z.string(),
  state: pluginState,
  /** The version plugin:list printed (null when it is missing). */
  version: z.string().nullable(),
  /** The oldest version whose commands the dashboard runs (null: any). */
  minVersion: z.string().nullable(),
});
export type PluginStatus = z.infer<typeof pluginStatus>;

/** Where the official plugins the dashboard works with are installed from. */
const SOURCES: Record<string, string> = {
  letsencrypt: "https://github.com/dokku/dokku-letsencrypt.git",
  postgres: "https://github.com/dokku/dokku-postgres.git",
  redis: "https://github.com/dokku/dokku-redis.git",
  mysql: "https://github.com/dokku/dokku-mysql.git",
  mariadb: "https://github.com/dokku/dokku-mariadb.git",
  mongo: "https://github.com/dokku/dokku-mongo.git",
};

/**
 * The one command that gets a plugin from its state to usable (plugin:install, plugin:enable or
 * plugin:update, all in plugins/plugin/subcommands of dokku/dokku); null when it is usable.
 */
export function pluginRemedy(s: PluginStatus): string | null {
  switch (s.state) {
    case "enabled":
      return null;
    case "disabled":
      return `sudo dokku plugin:enable ${s.name}`;
    case "too-old":
      return `sudo dokku plugin:update ${s.name}`;
    case "missing":
      return `sudo dokku plugin:install ${SOURCES[s.name] ?? `https://github.com/dokku/dokku-${s.name}.git`}`;
  }
}

/** The state in words: "installed but disabled", "not installed", "too old (0.19.0; 0.20.0 or later needed)". */
export function pluginStateText(s: PluginStatus): string {
  switch (s.state) {
    case "enabled":
      return "installed";
    case "disabled":
      return "installed but disabled";
    case "missing":
      return "not installed";
    case "too-old":
      return `too old (${s.version ?? "?"}; ${s.minVersion ?? "a newer version"} or later needed)`;
  }
}

/** A plugin's state and its remedy in one sentence, for messages: "the letsencrypt plugin is installed but disabled — sudo dokku plugin:enable letsencrypt". */
export function pluginProblem(s: PluginStatus): string {
  const remedy = pluginRemedy(s);
  return `the ${s.name} plugin is ${pluginStateText(s)}${remedy ? ` — ${remedy}` : ""}`;
}

export const pluginsOps = {
  "plugins.list": read({
    access: { scope: "host", area: "plugins" },
    args: noArgs,
    result: z.object({ plugins: z.array(pluginInfo) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
} as const;
