import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";

/**
 * The relay's state, kept in a small JSON file beside its history database so the install script
 * and `docklight-relay doctor` can tell whether it is connected without asking the edge (and
 * without opening a second socket, which would displace the running relay).
 */
export const relayStatus = z.object({
  state: z.enum(["starting", "connected", "reconnecting", "refused", "stopped"]),
  pid: z.number().int(),
  version: z.string(),
  protocolVersion: z.number().int(),
  host: z.string(),
  /** ms since the epoch when this state began. */
  since: z.number(),
  /** Why, for refused and reconnecting (never a secret). */
  message: z.string().optional(),
});
export type RelayStatus = z.infer<typeof relayStatus>;

/** Replace the status file in one step (write beside it, then rename). Failures are the caller's to log. */
export function writeStatus(path: string, status: RelayStatus): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(status)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

/** The status file's content, or null when it is absent or unreadable. */
export function readStatus(path: string): RelayStatus | null {
  try {
    const parsed = relayStatus.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (signal 0 probes without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
