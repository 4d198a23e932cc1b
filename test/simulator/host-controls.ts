import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SIM_DISKS_FILE } from "../../relay/cli/health.js";
import { stateDir, updateState } from "./state.js";

/**
 * What a test changes on a simulated host that no Dokku command changes: time passing for a
 * certificate, a disk filling up. Each takes the simulator's state directory (Sim.dir).
 */

/** A simulated disk's size: 100 GB, so a percentage reads as it would on a real host. */
const DISK_BYTES = 100e9;

/**
 * The disks the relay reports for this host (relay/cli/health.ts reads the file under
 * `--simulator`), each `usedPercent` full; an empty list reports no disk.
 */
export function setDisks(dir: string, disks: ReadonlyArray<{ path: string; usedPercent: number }>): void {
  const list = disks.map(({ path, usedPercent }) => ({ path, totalBytes: DISK_BYTES, freeBytes: Math.round(DISK_BYTES * (1 - usedPercent / 100)) }));
  writeFileSync(join(stateDir(dir), SIM_DISKS_FILE), JSON.stringify(list));
}

/** App `app`'s Let's Encrypt certificate (active) expires at `expiresAt` (Unix seconds), as after time passed without a renewal. */
export function setCertExpiry(dir: string, app: string, expiresAt: number): void {
  updateState((s) => {
    s.letsencrypt ??= {};
    const cert = (s.letsencrypt[app] ??= { active: true });
    cert.active = true;
    cert.expiresAt = expiresAt;
  }, dir);
}
