import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the simulated host holds. Kept as JSON in $DOKKU_SIM_DIR/state.json. */
export interface SimApp {
  createdAt: number;
  deployed: boolean;
  /** Whether the app's containers are up (only meaningful when deployed). */
  running: boolean;
  scale: Record<string, number>;
  config: Record<string, string>;
  domains: string[];
}

export interface SimState {
  apps: Record<string, SimApp>;
  globalDomains: string[];
}

export interface Fault {
  /** Sleep before doing anything. */
  delayMs?: number;
  /** Never finish (until killed). */
  hang?: boolean;
  exitCode?: number;
  stderr?: string;
}

export function stateDir(): string {
  const dir = process.env.DOKKU_SIM_DIR;
  if (!dir) {
    process.stderr.write(" !     DOKKU_SIM_DIR is not set: the simulator needs a state directory\n");
    process.exit(1);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function seed(now: number): SimState {
  const app = (deployed: boolean, running: boolean, scale: Record<string, number>, domains: string[]): SimApp => ({
    createdAt: Math.floor(now / 1000) - 86_400 * 30,
    deployed,
    running,
    scale,
    config: deployed ? { DOKKU_APP_TYPE: "herokuish", GIT_REV: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd" } : {},
    domains,
  });
  if (process.env.DOKKU_SIM_SEED === "empty") return { apps: {}, globalDomains: ["demo.dokku.me"] };
  return {
    globalDomains: ["demo.dokku.me"],
    apps: {
      api: app(true, true, { web: 1, worker: 1 }, ["api.demo.dokku.me"]),
      "blog.v2": app(true, true, { web: 2 }, ["blog.demo.dokku.me", "www.example.com"]),
      "queue-worker": app(true, false, { worker: 1 }, []),
      staging: app(false, false, {}, ["staging.demo.dokku.me"]),
    },
  };
}

/** The Dokku version the simulator imitates (output formats differ between 0.30 and 0.38). */
export function simVersion(): string {
  return process.env.DOKKU_SIM_VERSION ?? "0.35.20";
}

export function versionAtLeast(min: string): boolean {
  const a = simVersion().split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export function readState(): SimState {
  const file = join(stateDir(), "state.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as SimState;
  } catch {
    const fresh = seed(Date.now());
    writeState(fresh);
    return fresh;
  }
}

function writeState(state: SimState): void {
  const dir = stateDir();
  const tmp = join(dir, `state.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, join(dir, "state.json"));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Change the state under a lock (mkdir is atomic), so concurrent simulated commands do not lose writes. */
export function updateState<T>(change: (state: SimState) => T): T {
  const lock = join(stateDir(), "state.lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // lock vanished meanwhile
      }
      if (i > 2000) throw new Error("simulator state lock timed out");
      sleepSync(5);
    }
  }
  try {
    const state = readState();
    const out = change(state);
    writeState(state);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Faults a test injects per command: $DOKKU_SIM_DIR/faults.json, e.g. {"ps:restart": {"delayMs": 3000}}. */
export function faultFor(command: string): Fault | undefined {
  try {
    const faults = JSON.parse(readFileSync(join(stateDir(), "faults.json"), "utf8")) as Record<string, Fault>;
    return faults[command];
  } catch {
    return undefined;
  }
}
