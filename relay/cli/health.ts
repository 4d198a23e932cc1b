import { existsSync } from "node:fs";
import { readFile, statfs } from "node:fs/promises";
import { join } from "node:path";
import type { HealthSample } from "../../protocol/ops.js";
import type { HealthSource } from "../catalog/types.js";

/**
 * Server health read straight from /proc and statfs(2): no shell, no top/free/df. CPU is the busy
 * share between two readings of /proc/stat (never the average since boot), memory uses MemAvailable
 * (what can be allocated without swapping), disks are `/` and Dokku's data dir when it exists.
 * A background timer keeps the last hour of samples in a ring buffer.
 */

export interface CpuTimes {
  idle: number;
  total: number;
}

/** The aggregate `cpu ` line of /proc/stat: user nice system idle iowait irq softirq steal (guest is inside user). */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("/proc/stat has no aggregate cpu line");
  const n = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (n.length < 4 || n.some((x) => !Number.isFinite(x))) throw new Error("/proc/stat cpu line is not numeric");
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { idle, total: n.reduce((a, b) => a + b, 0) };
}

/** Busy percent between two readings; null when no time passed. */
export function cpuPercent(prev: CpuTimes, next: CpuTimes): number | null {
  const dTotal = next.total - prev.total;
  const dIdle = next.idle - prev.idle;
  if (dTotal <= 0) return null;
  return clampPct(((dTotal - dIdle) / dTotal) * 100);
}

export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number; usedPercent: number } {
  const kb = (key: string): number | undefined => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, "m"));
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb("MemTotal");
  if (!total) throw new Error("/proc/meminfo has no MemTotal");
  // kernels before 3.14 lack MemAvailable: approximate it as free + buffers + cached
  const available = kb("MemAvailable") ?? (kb("MemFree") ?? 0) + (kb("Buffers") ?? 0) + (kb("Cached") ?? 0);
  return { totalBytes: total, availableBytes: available, usedPercent: clampPct(((total - available) / total) * 100) };
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}

function clampPct(x: number): number {
  return Math.min(100, Math.max(0, Math.round(x * 10) / 10));
}

export interface HealthOptions {
  /** Where /proc is (tests point this at fixture files). */
  procRoot?: string;
  /** Disks to report; defaults to `/` and /var/lib/dokku when it exists. */
  disks?: string[];
  intervalMs?: number;
  /** How long the series reaches back. */
  windowMs?: number;
  /** Interval over which an on-demand CPU reading is taken when the last one is too old or too recent. */
  cpuProbeMs?: number;
  /**
   * The simulated host's disks (`--simulator`): a JSON file `[{path, totalBytes, freeBytes}]` the
   * simulator's controls write (test/simulator/host-controls.ts), reported instead of statfs(2) while it
   * exists, so a demo or a test can fill a disk. Absent: the real disks.
   */
  simulatedDisks?: string;
}

/** The simulated disks' file in the simulator's state directory (DOKKU_SIM_DIR). */
export const SIM_DISKS_FILE = "disks.json";

type Disk = HealthSample["disks"][number];

/** The simulated disks from `file`, or null when there is none (or it cannot be read). */
async function readSimulatedDisks(file: string): Promise<Disk[] | null> {
  try {
    const list = JSON.parse(await readFile(file, "utf8")) as Array<{ path: string; totalBytes: number; freeBytes: number }>;
    return list.map(({ path, totalBytes, freeBytes }) => ({
      path,
      totalBytes,
      freeBytes,
      usedPercent: clampPct(((totalBytes - freeBytes) / totalBytes) * 100),
    }));
  } catch {
    return null;
  }
}

export class HealthMonitor implements HealthSource {
  private readonly proc: string;
  private readonly disks: string[];
  private readonly intervalMs: number;
  private readonly capacity: number;
  private readonly cpuProbeMs: number;
  private readonly simulatedDisks: string | undefined;
  private readonly ring: HealthSample[] = [];
  private lastCpu: { at: number; times: CpuTimes } | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: HealthOptions = {}) {
    this.proc = opts.procRoot ?? "/proc";
    this.disks = opts.disks ?? ["/", ...(existsSync("/var/lib/dokku") ? ["/var/lib/dokku"] : [])];
    this.intervalMs = opts.intervalMs ?? 30_000;
    this.capacity = Math.max(1, Math.ceil((opts.windowMs ?? 3_600_000) / this.intervalMs));
    this.cpuProbeMs = opts.cpuProbeMs ?? 250;
    this.simulatedDisks = opts.simulatedDisks;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => void this.sample().catch(() => {});
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  series(): HealthSample[] {
    return [...this.ring];
  }

  /** Take one sample and add it to the series. */
  async sample(): Promise<HealthSample> {
    const s = await this.read(false);
    this.ring.push(s);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    return s;
  }

  /** A fresh reading, CPU measured over a short interval if the background one is stale (not added to the series). */
  async now(): Promise<HealthSample> {
    return this.read(true);
  }

  private async readCpu(): Promise<CpuTimes> {
    return parseProcStat(await readFile(join(this.proc, "stat"), "utf8"));
  }

  private async read(probe: boolean): Promise<HealthSample> {
    const at = Date.now();
    let times = await this.readCpu();
    let cpu: number | null = null;
    const prev = this.lastCpu;
    if (prev && at - prev.at >= 100 && (!probe || at - prev.at <= this.intervalMs * 2)) {
      cpu = cpuPercent(prev.times, times);
    } else if (probe) {
      await new Promise((r) => setTimeout(r, this.cpuProbeMs));
      const later = await this.readCpu();
      cpu = cpuPercent(times, later);
      times = later;
    }
    if (!probe || !prev) this.lastCpu = { at: Date.now(), times };
    const [meminfo, loadavg, uptime] = await Promise.all([
      readFile(join(this.proc, "meminfo"), "utf8"),
      readFile(join(this.proc, "loadavg"), "utf8"),
      readFile(join(this.proc, "uptime"), "utf8"),
    ]);
    const disks = (this.simulatedDisks ? await readSimulatedDisks(this.simulatedDisks) : null) ?? (await this.statDisks());
    return {
      at,
      cpuPercent: cpu,
      memory: parseMeminfo(meminfo),
      disks,
      load: parseLoadavg(loadavg),
      uptimeSeconds: Number(uptime.trim().split(/\s+/)[0]) || 0,
    };
  }

  private async statDisks(): Promise<Disk[]> {
    const disks: Disk[] = [];
    for (const path of this.disks) {
      try {
        const st = await statfs(path);
        const total = st.blocks * st.bsize;
        const used = (st.blocks - st.bfree) * st.bsize;
        const avail = st.bavail * st.bsize;
        disks.push({ path, totalBytes: total, freeBytes: avail, usedPercent: used + avail > 0 ? clampPct((used / (used + avail)) * 100) : 0 });
      } catch {
        // a disk that vanished is simply not reported
      }
    }
    return disks;
  }
}
