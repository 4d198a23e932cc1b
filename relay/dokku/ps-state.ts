import { z } from "zod";
import type { AppState } from "../../protocol/ops.js";
import { runningState } from "../../protocol/ops/spec.js";
import { bool } from "./report.js";

/**
 * The ps:report fields that say an app's state (reportDeployed, reportProcesses, reportRestore and
 * reportRunningState in plugins/ps/report.go of dokku/dokku; the same keys from 0.30 on). Processes
 * is the number of the app's containers (scheduler-app-status in plugins/scheduler-docker-local),
 * `-1` when the scheduler gives no count; restore is `false` after `ps:stop`.
 */
export const psStateFields = z.object({
  deployed: bool,
  running: runningState.or(z.literal("")),
  processes: z.string().regex(/^-?\d+$/),
  restore: bool.default("true"),
});
export type PsStateFields = z.output<typeof psStateFields>;

export interface ReadState {
  state: AppState;
  processes: number | null;
  unknownReason: string | null;
}

/**
 * An app's state from its ps:report fields. A deployed app with no containers that `ps:stop` did not
 * stop (restore still true) was scaled to 0: `ps:start` would bring nothing back, `ps:scale` does.
 */
export function appStateOf(f: PsStateFields): ReadState {
  const n = Number(f.processes);
  const processes = n >= 0 ? n : null;
  if (f.deployed === "false") return { state: "not-deployed", processes, unknownReason: null };
  if (processes === null || f.running === "") {
    return { state: "unknown", processes, unknownReason: "ps:report gave no container count (a scheduler other than docker-local?)" };
  }
  if (f.running === "true") return { state: "running", processes, unknownReason: null };
  if (f.running === "mixed") return { state: "mixed", processes, unknownReason: null };
  if (processes === 0 && f.restore === "true") return { state: "scaled-to-zero", processes, unknownReason: null };
  return { state: "stopped", processes, unknownReason: null };
}

/** An app whose state could not be read, with the reason. */
export const unknownState = (reason: string): ReadState => ({ state: "unknown", processes: null, unknownReason: reason });
