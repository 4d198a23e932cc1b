import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cpuPercent, HealthMonitor, parseMeminfo, parseProcStat, SIM_DISKS_FILE } from "../../../relay/cli/health.js";
import { setDisks } from "../../simulator/host-controls.js";
import { fakeRelay, runOp } from "../../support/ops.js";

describe("server health from /proc and statfs", () => {
  const dir = mkdtempSync(join(tmpdir(), "docklight-proc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stat = (user: number, idle: number) => `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\nintr 1\n`;
  writeFileSync(join(dir, "meminfo"), "MemTotal:       8000000 kB\nMemFree:         500000 kB\nMemAvailable:    2000000 kB\n");
  writeFileSync(join(dir, "loadavg"), "0.52 0.61 0.70 2/345 12345\n");
  writeFileSync(join(dir, "uptime"), "12345.67 23456.78\n");

  it("parses /proc/stat, /proc/meminfo and measures CPU between two readings", () => {
    expect(parseProcStat(stat(100, 300))).toEqual({ idle: 300, total: 400 });
    expect(cpuPercent({ idle: 300, total: 400 }, { idle: 350, total: 600 })).toBe(75);
    expect(cpuPercent({ idle: 1, total: 1 }, { idle: 1, total: 1 })).toBeNull();
    expect(parseMeminfo("MemTotal: 1000 kB\nMemAvailable: 250 kB\n")).toEqual({ totalBytes: 1024000, availableBytes: 256000, usedPercent: 75 });
    expect(() => parseProcStat("intr 1")).toThrow();
  });

  it("samples into a bounded ring and answers server.health with now + series", async () => {
    writeFileSync(join(dir, "stat"), stat(100, 900));
    const h = new HealthMonitor({ procRoot: dir, disks: ["/", "/does/not/exist"], intervalMs: 1000, windowMs: 3000, cpuProbeMs: 5 });
    await h.sample();
    for (let i = 1; i <= 5; i++) {
      await new Promise((r) => setTimeout(r, 110));
      writeFileSync(join(dir, "stat"), stat(100 + i * 50, 900 + i * 50));
      await h.sample();
    }
    const series = h.series();
    expect(series).toHaveLength(3);
    expect(series.at(-1)!.cpuPercent).toBe(50);
    const res = await runOp(fakeRelay(undefined, { health: h }), "server.health", {});
    expect(res.now.memory).toEqual({ totalBytes: 8_192_000_000, availableBytes: 2_048_000_000, usedPercent: 75 });
    expect(res.now.load).toEqual([0.52, 0.61, 0.7]);
    expect(res.now.uptimeSeconds).toBeCloseTo(12345.67);
    expect(res.now.disks.map((d) => d.path)).toEqual(["/"]);
    expect(res.now.disks[0]!.totalBytes).toBeGreaterThan(0);
    expect(res.series).toHaveLength(3);
  });

  it("reports the simulated host's disks while the simulator's file names them, the real ones otherwise", async () => {
    writeFileSync(join(dir, "stat"), stat(100, 900));
    const sim = mkdtempSync(join(tmpdir(), "docklight-sim-disks-"));
    try {
      const h = new HealthMonitor({ procRoot: dir, disks: ["/"], cpuProbeMs: 5, simulatedDisks: join(sim, SIM_DISKS_FILE) });
      expect((await h.now()).disks.map((d) => d.path)).toEqual(["/"]);
      setDisks(sim, [
        { path: "/", usedPercent: 97 },
        { path: "/var/lib/dokku", usedPercent: 40 },
      ]);
      const full = (await h.now()).disks;
      expect(full.map((d) => [d.path, d.usedPercent, d.totalBytes, d.freeBytes])).toEqual([
        ["/", 97, 100e9, 3e9],
        ["/var/lib/dokku", 40, 100e9, 60e9],
      ]);
      setDisks(sim, [{ path: "/", usedPercent: 41 }]);
      expect((await h.sample()).disks.map((d) => d.usedPercent)).toEqual([41]);
    } finally {
      rmSync(sim, { recursive: true, force: true });
    }
  });

  it("reads the real /proc of this machine", async () => {
    const h = new HealthMonitor({ cpuProbeMs: 50 });
    const now = await h.now();
    expect(now.cpuPercent).not.toBeNull();
    expect(now.memory.totalBytes).toBeGreaterThan(0);
    expect(now.uptimeSeconds).toBeGreaterThan(0);
  });
});
