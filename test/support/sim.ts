import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "../../relay/process/run.js";
import { setCertExpiry, setDisks } from "../simulator/host-controls.js";
import type { Fault } from "../simulator/state.js";

export const SIMULATOR = resolve(import.meta.dirname, "../simulator/dokku");

export interface Sim {
  dir: string;
  /** The Dokku version the simulator imitates. */
  version: string;
  env: NodeJS.ProcessEnv;
  /** Run the simulator directly, as a test would run `dokku`. */
  dokku: (...argv: string[]) => ReturnType<typeof run>;
  /** Run the simulator's `docker` (test/simulator/docker), as a hand on the host would. */
  docker: (...argv: string[]) => ReturnType<typeof run>;
  faults: (faults: Record<string, Fault>) => void;
  /** The disks the relay reports for this host (test/simulator/host-controls.ts setDisks). */
  disks: (disks: ReadonlyArray<{ path: string; usedPercent: number }>) => void;
  /** App `app`'s certificate expires at `expiresAt` (Unix seconds), as after time passed without a renewal. */
  certExpiresAt: (app: string, expiresAt: number) => void;
  cleanup: () => void;
}

/** A fresh simulated host in a temp directory ("demo" seed unless told otherwise). */
export function makeSim(opts: { seed?: "demo" | "empty"; version?: string } = {}): Sim {
  const dir = mkdtempSync(join(tmpdir(), "docklight-sim-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOKKU_SIM_DIR: dir,
    DOKKU_SIM_SEED: opts.seed ?? "demo",
    DOKKU_SIM_STEP_MS: "0",
    ...(opts.version ? { DOKKU_SIM_VERSION: opts.version } : {}),
  };
  return {
    dir,
    version: opts.version ?? "0.35.20",
    env,
    dokku: (...argv) => run(SIMULATOR, argv, { timeoutMs: 20_000, env }),
    docker: (...argv) => run(resolve(import.meta.dirname, "../simulator/docker"), argv, { timeoutMs: 20_000, env }),
    faults: (faults) => writeFileSync(join(dir, "faults.json"), JSON.stringify(faults)),
    disks: (disks) => setDisks(dir, disks),
    certExpiresAt: (app, expiresAt) => setCertExpiry(dir, app, expiresAt),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
