import type { Command } from "../context.js";
import { endOfOptions } from "../context.js";
import { err, fail, info1, info2, out, sleep, stepMs, verbose } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";
import { configSet, configUnset, envPairs, printSet } from "./config.js";
import { domainsReport } from "./domains.js";
import { gitReport, gitSet, propertySet } from "./git.js";

/**
 * The `--global` forms of dokku/dokku's plugins, `dokku cleanup` and plugin:update. domains:
 * domains_add_global / domains_remove_global in plugins/domains/functions ("Added D", "Skipping D:
 * already added", "Removed D"); `domains:report --global` (cmd-domains-report-single: the two
 * global rows). config (Go, pflag): `--global` takes no app, `config:keys --global` prints one
 * key per line. git: `git:set --global deploy-branch [B]` (cmd-git-set), `git:report --global`
 * from 0.38.22 (plugins/git/report.go). cleanup: docker_cleanup in plugins/common/functions.
 * plugin:update: cmd-plugin-update in plugins/plugin/subcommands/update (core plugins refused).
 */

const VALID = /^[a-z0-9.*_-]*[a-z0-9*_-]$/;
const CORE = new Set(["00_dokku-standard", "apps", "certs", "config", "domains", "git", "logs", "nginx-vhosts", "plugin", "ps", "scheduler-docker-local"]);

const addGlobal: Command = ({ args }) => {
  if (args.length === 0) fail("Please specify a domain name. Usage: dokku domains:add-global <domain> [<domain> ...]");
  for (const d of args) if (!VALID.test(d)) fail(`${d} is invalid. exiting...`);
  const added = updateState((s) => args.map((d) => (s.globalDomains.includes(d) ? false : (s.globalDomains.push(d), true))));
  args.forEach((d, i) => info1(added[i] ? `Added ${d}` : `Skipping ${d}: already added`));
};

const removeGlobal: Command = ({ args }) => {
  if (args.length === 0) fail("Please specify a domain name. Usage: dokku domains:remove-global <domain> [<domain> ...]");
  updateState((s) => void (s.globalDomains = s.globalDomains.filter((d) => !args.includes(d))));
  for (const d of args) info1(`Removed ${d}`);
};

const report: Command = (ctx) => {
  if (ctx.args[0] !== "--global") return domainsReport(ctx);
  const state = readState();
  info2("Global domains information");
  verbose(`${"Domains global enabled:".padEnd(30)} ${String(state.globalDomains.length > 0).padEnd(25)}`);
  verbose(`${"Domains global vhosts:".padEnd(30)} ${state.globalDomains.join(" ").padEnd(25)}`);
};

const configKeys: Command = ({ args }) => {
  if (!args.includes("--global")) fail("the simulator reads config:keys --global only");
  for (const k of Object.keys(readState().globalConfig ?? {}).sort()) out(k);
};

/** config:set/unset --global: the global environment, no app restarted (CommandSet/CommandUnset with global). */
const setGlobal: Command = (ctx) => {
  const [options, operands] = endOfOptions(ctx.args);
  if (!options.includes("--global")) return configSet(ctx);
  const encoded = options.includes("--encoded");
  const next = envPairs([...options.filter((a) => !a.startsWith("--")), ...operands], encoded);
  updateState((s) => void (s.globalConfig = { ...s.globalConfig, ...next }));
  printSet(next);
};

const unsetGlobal: Command = (ctx) => {
  const [options, operands] = endOfOptions(ctx.args);
  if (!options.includes("--global")) return configUnset(ctx);
  const keys = [...options.filter((a) => !a.startsWith("--")), ...operands];
  if (keys.length === 0) fail("At least one key must be given");
  const had = updateState((s) => {
    const env = (s.globalConfig ??= {});
    const present = keys.map((k) => k in env);
    for (const k of keys) delete env[k];
    return present;
  });
  keys.forEach((k, i) => info1(had[i] ? `Unsetting ${k}` : `Skipping ${k}, it is not set in the environment`));
};

const gitSetGlobal: Command = (ctx) => {
  if (ctx.args[0] !== "--global") return gitSet(ctx);
  propertySet(["deploy-branch", "keep-git-dir", "rev-env-var"], ctx.args[1], ctx.args[2], (v) => {
    if (ctx.args[1] !== "deploy-branch") return;
    updateState((s) => {
      if (v) s.globalDeployBranch = v;
      else delete s.globalDeployBranch;
    });
  });
};

const gitReportGlobal: Command = (ctx) => {
  if (!ctx.args.includes("--global")) return gitReport(ctx);
  // the bash report reads `--global` as an info flag of every app's report (cmd-git-report)
  if (!versionAtLeast("0.38.22")) fail("Invalid flag passed");
  const global = readState().globalDeployBranch ?? "";
  const fields = { "git-global-deploy-branch": global, "git-global-keep-git-dir": "", "git-global-rev-env-var": "" };
  if (ctx.args.includes("json")) return out(JSON.stringify(fields));
  info2("Global git information");
  for (const [k, v] of Object.entries(fields)) verbose(`${`${k.slice(4).replace(/-/g, " ")}:`.padEnd(31)}${v}`);
};

const cleanup: Command = async () => {
  info1("Cleaning up...");
  await sleep(stepMs());
  out("Deleted Containers:");
  out("3f1c0c9a51d2b7e1a9f8e0d6c5b4a3928171605f4e3d2c1b0a9f8e7d6c5b4a39");
  out("");
  out("Total reclaimed space: 12.4MB");
};

const pluginUpdate: Command = ({ args }) => {
  const name = args[0];
  if (!name || !/^[a-z0-9][a-z0-9_.-]*$/.test(name)) fail("Invalid plugin name specified");
  if (CORE.has(name)) fail("Cannot trigger plugin:update against core plugin, please update Dokku instead");
  const p = readState().plugins?.[name];
  if (!p?.enabled) fail("Specified plugin not enabled or installed");
  err(`From https://github.com/dokku/dokku-${name}`);
  out("Already up to date.");
};

export const hostCommands: Record<string, Command> = {
  "domains:add-global": addGlobal,
  "domains:remove-global": removeGlobal,
  "domains:report": report,
  "config:keys": configKeys,
  "config:set": setGlobal,
  "config:unset": unsetGlobal,
  "git:set": gitSetGlobal,
  "git:report": gitReportGlobal,
  cleanup,
  "plugin:update": pluginUpdate,
};
