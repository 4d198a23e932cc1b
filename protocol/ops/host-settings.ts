import { z } from "zod";
import { domainName, envKey, gitRef } from "../names.js";
import { change, FRESH_MS, noArgs, OP_LIMITS, read } from "./spec.js";

/**
 * Host-wide settings (the `--global` forms of dokku/dokku's domains, config and git plugins),
 * `dokku cleanup` (plugins/00_dokku-standard/subcommands/cleanup) and updating a plugin
 * (plugins/plugin/subcommands/update). Each reaches every app on the host: host-root.
 */

/** `git:report --global` (the Go report, 0.38.22+): before it the global deploy branch is reported per app only. */
export const GIT_GLOBAL_REPORT_SINCE = "0.38.22";

/** A plugin's name as plugin:list prints it (fn-is-valid-plugin in plugins/plugin/internal-functions). */
export const pluginName = z
  .string()
  .max(100, "a plugin name is at most 100 characters")
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, "a plugin name holds a-z, 0-9, '_', '.' and '-', starting with a letter or digit");

const configValue = z.string().max(OP_LIMITS.configValueLength, "a config value is at most 32 KiB");
const domains = z.array(domainName).min(1).max(20);
const hostRoot = { scope: "host", area: "host", hostRoot: true } as const;

export const hostSettingsOps = {
  /**
   * The host-wide settings: global domains (`domains:report --global`), the names of the global
   * config keys (`config:keys --global`; values are secrets, never read here) and the global deploy
   * branch (`git:report --global`, 0.38.22+; null before).
   */
  "host.settings": read({
    access: { scope: "host", area: "host" },
    args: noArgs,
    result: z.object({
      domainsEnabled: z.boolean(),
      domains: z.array(z.string()),
      configKeys: z.array(z.string()),
      deployBranch: z.string().nullable(),
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `domains:add-global DOMAIN…`: every app created afterwards gets APP.DOMAIN. */
  "host.domains.add": change({
    access: hostRoot,
    title: (a: { domains: string[] }) => `Add global domain ${[a.domains].flat().join(", ")}`,
    args: z.object({ domains }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["host.settings", "domains.report", "domains.all"],
  }),
  /** `domains:remove-global DOMAIN…`. */
  "host.domains.remove": change({
    access: hostRoot,
    title: (a: { domains: string[] }) => `Remove global domain ${[a.domains].flat().join(", ")}`,
    args: z.object({ domains }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["host.settings", "domains.report", "domains.all"],
  }),
  /** `config:set --global --encoded -- K=base64…`: values as secret as an app's (base64 in argv, masked in history). */
  "host.config.set": change({
    access: hostRoot,
    title: "Set global config",
    args: z
      .object({ vars: z.record(envKey, configValue) })
      .strict()
      .refine((a) => Object.keys(a.vars).length >= 1 && Object.keys(a.vars).length <= OP_LIMITS.configVars, {
        message: `set 1 to ${OP_LIMITS.configVars} variables`,
        path: ["vars"],
      }),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["host.settings", "config.get"],
  }),
  /** `config:unset --global -- K…`. */
  "host.config.unset": change({
    access: hostRoot,
    title: "Unset global config",
    args: z.object({ keys: z.array(envKey).min(1).max(OP_LIMITS.configVars) }).strict(),
    timeoutMs: 120_000,
    streams: false,
    invalidates: ["host.settings", "config.get"],
  }),
  /** `git:set --global deploy-branch [BRANCH]`: the branch apps without their own deploy; empty unsets (Dokku then uses master). */
  "host.deployBranch": change({
    access: hostRoot,
    title: "Set the global deploy branch",
    args: z.object({ branch: gitRef.optional() }).strict(),
    timeoutMs: 30_000,
    streams: false,
    invalidates: ["host.settings", "deploy.report"],
  }),
  /** `dokku cleanup`: removes exited containers and dangling images of every app, streamed. */
  "host.cleanup": change({
    access: hostRoot,
    title: "Clean up the host (dokku cleanup)",
    args: noArgs,
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: ["host.settings"],
  }),
  /** `plugin:update NAME`: pulls the plugin's newest code and runs its update trigger; the name typed again confirms it. */
  "plugins.update": change({
    access: { scope: "host", area: "plugins", hostRoot: true },
    title: (a: { name: string }) => `Update plugin ${a.name}`,
    args: z
      .object({ name: pluginName, confirm: z.string().max(100) })
      .strict()
      .refine((a) => a.confirm === a.name, { message: "type the plugin's name to confirm", path: ["confirm"] }),
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["plugins.list"],
  }),
} as const;
