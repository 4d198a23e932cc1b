import type { Command } from "../context.js";
import { Exit, fail, out } from "../output.js";
import { readState, simVersion, versionAtLeast } from "../state.js";

const CORE = ["00_dokku-standard", "apps", "certs", "config", "domains", "git", "logs", "nginx-vhosts", "plugin", "ps", "scheduler-docker-local"];

function rows(): Array<{ name: string; version: string; enabled: boolean; core: boolean; description: string }> {
  const core = CORE.map((name) => ({
    name,
    version: simVersion(),
    enabled: true,
    core: true,
    description: `dokku core ${name.replace(/^00_dokku-/, "")} plugin`,
  }));
  const extra = Object.entries(readState().plugins ?? {}).map(([name, p]) => ({
    name,
    version: p.version,
    enabled: p.enabled,
    core: false,
    description: p.description,
  }));
  return [...core, ...extra].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** plugin:list: `printf "  %-20s %-5s %-10s %s"` rows (long names overflow); JSON from 0.38.22. */
export const pluginList: Command = ({ args }) => {
  const i = args.indexOf("--format");
  if (i >= 0 && args[i + 1] === "json" && versionAtLeast("0.38.22")) {
    return out(JSON.stringify(rows().map((r) => ({ ...r, source_url: "", committish: "", branch: "" }))));
  }
  if (i >= 0) fail(`unknown flag: ${args[i]}`, 2);
  for (const r of rows()) out(`  ${r.name.padEnd(20)} ${r.version.padEnd(5)} ${(r.enabled ? "enabled" : "disabled").padEnd(10)} ${r.description}`);
};

export const pluginCommands: Record<string, Command> = {
  "plugin:list": pluginList,
  // plugin:installed NAME: exit 0 or 1, no output
  "plugin:installed": ({ args }) => {
    if (!rows().some((r) => r.name === args[0])) throw new Exit(1);
  },
};
