import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { appsCommands } from "./commands/apps.js";
import { builderCommands } from "./commands/builder.js";
import { buildsCommand, startBuild } from "./commands/builds.js";
import { certsCommands } from "./commands/certs.js";
import { configCommands } from "./commands/config.js";
import { cronCommand } from "./commands/cron.js";
import { datastoreCommand } from "./commands/datastores.js";
import { deployCommands } from "./commands/deploy.js";
import { domainsCommands } from "./commands/domains.js";
import { gitCommands } from "./commands/git.js";
import { imageCommands } from "./commands/image.js";
import { hostCommands } from "./commands/host.js";
import { lockCommands } from "./commands/locks.js";
import { letsencryptCommand } from "./commands/letsencrypt.js";
import { logsCommands } from "./commands/logs.js";
import { networkCommands } from "./commands/network.js";
import { pluginCommands } from "./commands/plugin.js";
import { portsCommand } from "./commands/ports.js";
import { proxyCommand } from "./commands/proxy.js";
import { psCommands } from "./commands/ps.js";
import { renameCommands } from "./commands/rename.js";
import { resourceCommands } from "./commands/resource.js";
import { storageCommand, storageCommands } from "./commands/storage.js";
import { dockerOptionsCommands } from "./commands/docker-options.js";
import { dockerMain } from "./commands/docker.js";
import type { Command, GlobalFlags } from "./context.js";
import { Exit, out, sleep, warn } from "./output.js";
import { faultFor, readState, simVersion, stateDir } from "./state.js";

/**
 * A stand-in for `/usr/bin/dokku` for tests and the demo: same arguments, same stdout/stderr split,
 * same exit codes, state in $DOKKU_SIM_DIR. Only leading global flags are taken before the command,
 * as the real entry script does.
 */
const commands: Record<string, Command> = {
  ...appsCommands,
  ...psCommands,
  ...configCommands,
  ...domainsCommands,
  ...gitCommands,
  ...certsCommands,
  ...renameCommands,
  ...imageCommands,
  ...hostCommands,
  ...lockCommands,
  ...pluginCommands,
  ...logsCommands,
  ...deployCommands,
  ...builderCommands,
  ...resourceCommands,
  ...networkCommands,
  ...storageCommands,
  ...dockerOptionsCommands,
  version: () => out(`dokku version ${simVersion()}`),
};

/**
 * Commands of third-party plugins exist only while the plugin is installed, and those of younger
 * core plugins only from their Dokku version (else "not a dokku command").
 */
function pluginCommand(name: string): Command | undefined {
  return (
    letsencryptCommand(name) ??
    datastoreCommand(name) ??
    portsCommand(name) ??
    proxyCommand(name) ??
    buildsCommand(name) ??
    storageCommand(name) ??
    cronCommand(name)
  );
}

/**
 * A real host's cost per call: the `dokku` entry script is bash that sources every plugin's
 * functions before it answers (0.3–1 s). $DOKKU_SIM_LATENCY_MS (default 0) waits that long first.
 */
const latencyMs = () => Number(process.env.DOKKU_SIM_LATENCY_MS ?? 0);

/**
 * With $DOKKU_SIM_CALL_LOG set, each call appends `START END ARGV` to that file when it exits:
 * START is when this process began and END when it exits (ms since the epoch, fractional), ARGV
 * the arguments as a JSON array. A call killed by a signal (e.g. `logs --tail`) leaves no line.
 */
function logCall(argv: string[]): void {
  const file = process.env.DOKKU_SIM_CALL_LOG;
  if (!file) return;
  process.on("exit", () => {
    const end = performance.timeOrigin + performance.now();
    appendFileSync(file, `${performance.timeOrigin.toFixed(1)} ${end.toFixed(1)} ${JSON.stringify(argv)}\n`);
  });
}

async function main(argv: string[]): Promise<number> {
  logCall(argv);
  if (latencyMs() > 0) await sleep(latencyMs());
  const flags: GlobalFlags = { quiet: false, force: false, app: null, global: [] };
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith("--"); i++) {
    const a = argv[i]!;
    flags.global.push(a);
    if (a === "--quiet") flags.quiet = true;
    else if (a === "--force") flags.force = true;
    else if (a === "--trace") continue;
    else if (a === "--app") flags.app = argv[++i] ?? null;
    else if (a === "--version") return (out(`dokku version ${simVersion()}`), 0);
    // any other leading flag is shifted off and left in DOKKU_GLOBAL_FLAGS (e.g. --no-restart)
  }
  const [name, ...args] = argv.slice(i);
  if (name === "-v") return (out(`dokku version ${simVersion()}`), 0);
  const command = name ? (commands[name] ?? pluginCommand(name)) : undefined;
  if (!command) {
    warn(`\`${argv.join(" ")}\` is not a dokku command.`);
    warn("See `dokku help` for a list of available commands.");
    return 1;
  }
  // a deploy's build record starts before anything it does (dokku_setup_build_capture), so a fault that holds it shows it running
  const finalize = startBuild(name!, [...args], (app) => readState().apps[app]?.deployed ?? null);
  const code = await runCommand(name!, command, args, flags);
  finalize?.(code);
  return code;
}

/** A known command: any fault set for it first, then the command itself; its exit code. */
async function runCommand(name: string, command: Command, args: string[], flags: GlobalFlags): Promise<number> {
  const fault = faultFor(name);
  if (fault?.stdout) process.stdout.write(fault.stdout);
  if (fault?.printBytes) await printBuildLines(fault.printBytes);
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.gate) while (!existsSync(join(stateDir(), fault.gate))) await sleep(20);
  if (fault?.hang) await new Promise(() => setInterval(() => {}, 1 << 30));
  if (fault?.exitCode !== undefined) {
    if (fault.stderr) process.stderr.write(`${fault.stderr}\n`);
    return fault.exitCode;
  }
  if (flags.app && !args.includes(flags.app)) args.unshift(flags.app);
  try {
    await command({ args, flags });
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}

/** `bytes` bytes of herokuish-style build lines on stdout, written as the pipe takes them. */
async function printBuildLines(bytes: number): Promise<void> {
  let line = 0;
  for (let left = bytes; left > 0;) {
    let block = "";
    while (block.length < 64 * 1024 && block.length < left) block += `       added package ${++line} of a very chatty build, audited and installed\n`;
    block = block.slice(0, left);
    left -= block.length;
    if (!process.stdout.write(block)) await new Promise((r) => process.stdout.once("drain", r));
  }
}

// started as ./docker: the relay's image commands, not Dokku's
process.exitCode = await (process.env.DOKKU_SIM_PROGRAM === "docker" ? dockerMain : main)(process.argv.slice(2));
