import { readFileSync } from "node:fs";
import { allPids, killTree, processStartTicks } from "./process-tree.js";

/**
 * What happens to a command when its relay dies (kill -9, a crash, the OOM killer): it dies with
 * the relay. Under systemd that is the unit's default KillMode=control-group (deploy/
 * docklight-relay.service): when the relay's main process dies, systemd stops every process left in
 * its cgroup before it restarts the relay. Without systemd, the restarted relay does it: every
 * command carries a marker in its environment naming the relay that started it (pid and start
 * time), and at start the relay stops each process whose relay is gone, then records the time in
 * history ("interrupted"). A command half-way through a deploy can leave the app's deploy lock
 * behind; the Deploy tab offers Unlock.
 */

const RELAY_VAR = "DOCKLIGHT_RELAY";
const OP_VAR = "DOCKLIGHT_OP_ID";

/** This relay, as its commands' marker names it: `pid:start-ticks`. */
const self = `${process.pid}:${processStartTicks(process.pid) ?? 0}`;

/** The environment variables that mark one command of op `opId` as this relay's. */
export function commandMarker(opId: string): Record<string, string> {
  return { [RELAY_VAR]: self, [OP_VAR]: opId };
}

/** A process a dead relay left running: its pid and the op it belonged to. */
export interface Orphan {
  pid: number;
  opId: string;
}

function markerOf(pid: number): { relay: string; opId: string } | null {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, "latin1");
  } catch {
    return null; // gone, or not ours to read
  }
  let relay: string | null = null;
  let opId = "";
  for (const entry of environ.split("\u0000")) {
    if (entry.startsWith(`${RELAY_VAR}=`)) relay = entry.slice(RELAY_VAR.length + 1);
    else if (entry.startsWith(`${OP_VAR}=`)) opId = entry.slice(OP_VAR.length + 1);
  }
  return relay === null ? null : { relay, opId };
}

function relayAlive(marker: string): boolean {
  const [pid, ticks] = marker.split(":").map(Number);
  if (!pid || pid === process.pid) return true;
  return processStartTicks(pid) === ticks;
}

/** Processes (Linux /proc) started for a relay that no longer runs. */
export function findOrphans(): Orphan[] {
  const pids = allPids();
  const out: Orphan[] = [];
  for (const pid of pids) {
    const m = markerOf(pid);
    if (m && !relayAlive(m.relay)) out.push({ pid, opId: m.opId });
  }
  return out;
}

/** Stop every orphan and what it started (SIGKILL: nobody reads their output any more). Returns the op ids they belonged to. */
export function stopOrphans(orphans = findOrphans()): string[] {
  for (const o of orphans) killTree(o.pid, "SIGKILL");
  return [...new Set(orphans.map((o) => o.opId).filter(Boolean))];
}
