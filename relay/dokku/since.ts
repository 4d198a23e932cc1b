import type { OpContext } from "../catalog/types.js";
import type { RunResult } from "../process/run.js";
import { OpFailure } from "./failure.js";
import { isNotACommand } from "./output.js";
import { versionAtLeast } from "./version.js";

/**
 * Commands younger than some supported Dokku versions (nginx:reload, storage:create, network
 * settings…): refused with one plain message, before anything runs when the detected version is
 * known to be older, and from Dokku's own "is not a dokku command" otherwise (an unknown version,
 * or a core plugin someone disabled).
 */

/** The message for a command this host's Dokku lacks. */
export function missingCommandMessage(command: string, since: string, version: string | null): string {
  const runs = version ? `this host runs Dokku ${version}` : "this host's Dokku does not have it";
  return `\`dokku ${command}\` arrived in Dokku ${since}; ${runs}. Upgrade Dokku to use it (https://dokku.com/docs/getting-started/upgrading/).`;
}

/** Refuse (unavailable) before running when the host's known Dokku version is older than `since`. */
export function requireSince(ctx: Pick<OpContext, "dokkuVersion">, command: string, since: string): void {
  if (ctx.dokkuVersion !== null && !versionAtLeast(ctx.dokkuVersion, since)) {
    throw new OpFailure("unavailable", missingCommandMessage(command, since, ctx.dokkuVersion));
  }
}

/**
 * A command's result unless Dokku answered that it has no such command: then `unavailable`, naming
 * the version it needs. For core plugins: Dokku ships them, so "not a command" means too old (or
 * the plugin disabled, which `dokku plugin:list` shows).
 */
export function unlessMissing(res: RunResult, command: string, since: string, version: string | null): RunResult {
  if (isNotACommand(res)) {
    throw new OpFailure(
      "unavailable",
      `${missingCommandMessage(command, since, version)} If it should have it, check \`dokku plugin:list\` for a disabled core plugin.`,
    );
  }
  return res;
}
