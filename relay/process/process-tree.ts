import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the parenthesised name (state is [0], ppid [1], starttime [19]). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Parent pid of a process from /proc/PID/stat. */
function parentOf(pid: number): number | null {
  const ppid = Number(statFields(pid)?.[1]);
  return Number.isFinite(ppid) ? ppid : null;
}

/**
 * When a process started, in clock ticks since boot (/proc/PID/stat field 22), or null when no such
 * process runs. With the pid it names one process for good: a pid reused later has another start.
 */
export function processStartTicks(pid: number): number | null {
  const fields = statFields(pid);
  if (!fields || fields[0] === "Z") return null;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** Every process id Linux lists in /proc now; none where /proc cannot be read (not Linux). */
export function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** Every live descendant of a process (Linux /proc), deepest last. */
export function descendantsOf(root: number): number[] {
  const pids = allPids();
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const ppid = parentOf(pid);
    if (ppid === null) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * Signal a process and everything it started. Dokku is a bash script that runs docker and friends;
 * stopping only bash would leave `docker logs -f` or a build running on the host.
 */
export function killTree(root: number, signal: NodeJS.Signals): void {
  for (const pid of [root, ...descendantsOf(root)]) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
