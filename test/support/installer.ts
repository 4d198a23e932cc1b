import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { run, type RunResult } from "../../relay/process/run.js";
import { ROOT } from "../../scripts/stack.js";
import { SIMULATOR, type Sim } from "./sim.js";

/** The checkout's node_modules, which --modules-from copies better-sqlite3 from (its prebuilt download is unreachable here). */
export const NODE_MODULES = resolve(import.meta.dirname, "../../node_modules");

/** Where the installer puts things under `--prefix P` (deploy/install.sh's layout). */
export function layout(prefix: string) {
  return {
    home: join(prefix, "opt/docklight-relay"),
    relay: join(prefix, "opt/docklight-relay/current/relay.mjs"),
    wrapper: join(prefix, "usr/local/bin/docklight-relay"),
    envFile: join(prefix, "etc/docklight/relay.env"),
    unit: join(prefix, "etc/systemd/system/docklight-relay.service"),
    state: join(prefix, "var/lib/docklight"),
    db: join(prefix, "var/lib/docklight/relay.db"),
    pidFile: join(prefix, "var/lib/docklight/relay.pid"),
    log: join(prefix, "var/lib/docklight/relay.log"),
  };
}

/** The relay settings a test host needs beyond the four credentials: drive this simulator. */
export function simulatorSettings(sim: Sim): string[] {
  const settings = {
    DOCKLIGHT_SIMULATOR: "1",
    DOKKU_BIN: SIMULATOR,
    DOKKU_SIM_DIR: sim.env.DOKKU_SIM_DIR!,
    DOKKU_SIM_SEED: "demo",
    DOKKU_SIM_STEP_MS: "0",
    DOCKLIGHT_HEARTBEAT_MS: "2000",
  };
  return Object.entries(settings).flatMap(([k, v]) => ["--set", `${k}=${v}`]);
}

/**
 * The one command a user runs, `curl -fsSL EDGE/install.sh | sh -s -- ARGS`, with a shell (the
 * pipe is the point). ARGS are single-quoted for it.
 */
export function installFromEdge(edge: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return run("sh", ["-c", `curl -fsSL '${edge}/install.sh' | sh -s -- ${quoted}`], { timeoutMs: 120_000, env: { ...process.env, ...env } });
}

/**
 * The install command exactly as the Hosts page shows it, run by a shell, with `extra` arguments
 * (single-quoted) after it: the test's prefix, modules and simulator settings.
 */
export function runInstallCommand(command: string, extra: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const quoted = extra.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return run("sh", ["-c", `${command} ${quoted}`], { timeoutMs: 120_000, env: { ...process.env, ...env } });
}

/** deploy/install.sh run from the checkout (re-runs and uninstalls need no download of the script). */
export function installScript(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run("sh", [join(ROOT, "deploy/install.sh"), ...args], { timeoutMs: 120_000, env: { ...process.env, ...env } });
}

/**
 * Every command line seen under /proc while `work` runs (sampled every 10 ms): what a local user
 * could read of another's processes. Sampling can miss a short process, never invent one.
 */
export async function commandLinesDuring<T>(work: Promise<T>): Promise<{ result: T; seen: Set<string> }> {
  const seen = new Set<string>();
  let done = false;
  const sample = async () => {
    while (!done) {
      for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
          seen.add(readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
        } catch {
          /* gone meanwhile */
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const sampling = sample();
  try {
    return { result: await work, seen };
  } finally {
    done = true;
    await sampling;
  }
}

/** Every file under `dir`, relative to it, sorted (directories are not listed). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** A file's permission bits, e.g. 0o600. */
export const modeOf = (path: string) => statSync(path).mode & 0o777;
