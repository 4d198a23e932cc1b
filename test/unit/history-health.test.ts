import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalog } from "../../relay/catalog/index.js";
import { openDb } from "../../relay/db/open.js";
import { cpuPercent, HealthMonitor, parseMeminfo, parseProcStat } from "../../relay/health.js";
import { csvCell, History, type CommandRecord } from "../../relay/history.js";
import { run } from "../../relay/run.js";
import { fakeContext } from "../support/ops.js";

function row(i: number, over: Partial<CommandRecord> = {}): CommandRecord {
  return {
    opId: `op-${i}`,
    host: "demo",
    op: i % 2 ? "apps.restart" : "config.set",
    app: i % 3 ? "api" : "blog.v2",
    argv: ["dokku", "ps:restart", "api"],
    exitCode: i % 5 ? 0 : 1,
    outcome: i % 5 ? "ok" : "error",
    stdout: `line ${i}`,
    stderr: "",
    durationMs: 10,
    requestedBy: "admin",
    startedAt: 1_700_000_000_000 + i * 1000,
    finishedAt: 1_700_000_000_010 + i * 1000,
    ...over,
  };
}

describe("history queries", () => {
  const history = new History(openDb(":memory:"), { maxRows: 100_000, maxAgeDays: 36500 });
  for (let i = 1; i <= 60; i++) history.record(row(i));
  history.record(row(61, { stdout: "100% done_here", app: null }));

  it("filters by app, op, outcome, date range and text, and pages", () => {
    expect(history.list(100, 0, { app: "blog.v2" }).total).toBe(20);
    expect(history.list(100, 0, { op: "config.set", outcome: "error" }).entries.every((e) => e.op === "config.set" && e.outcome === "error")).toBe(true);
    expect(history.list(100, 0, { outcome: "error" }).total).toBe(12);
    const range = history.list(100, 0, { from: 1_700_000_010_000, to: 1_700_000_020_000 });
    expect(range.entries.map((e) => e.opId)).toEqual(Array.from({ length: 10 }, (_, k) => `op-${19 - k}`));
    const page = history.list(5, 5, { app: "api" });
    expect(page.entries).toHaveLength(5);
    expect(page.total).toBe(40);
    expect(page.entries[0]!.id).toBeGreaterThan(page.entries[4]!.id);
  });

  it("matches text literally (LIKE wildcards escaped)", () => {
    expect(history.list(100, 0, { text: "100%" }).entries.map((e) => e.opId)).toEqual(["op-61"]);
    expect(history.list(100, 0, { text: "_here" }).total).toBe(1);
    expect(history.list(100, 0, { text: "%" }).total).toBe(1);
    expect(history.list(100, 0, { text: "line 4" }).total).toBe(11); // 4, 40-49
  });

  it("exports CSV with formula-looking cells defused, and JSON", async () => {
    const h = new History(openDb(":memory:"), { maxRows: 100, maxAgeDays: 36500 });
    h.record(row(1, { stdout: "=HYPERLINK(\"http://evil\")", stderr: "+1", requestedBy: "@admin", argv: ["-x"] }));
    const csv = await catalog["history.export"].run({ ...fakeContext(), history: h }, { format: "csv", filter: {}, limit: 10 });
    expect(csv.rows).toBe(1);
    const [header, line] = csv.content.trim().split("\r\n");
    expect(header).toBe("id,opId,op,app,argv,exitCode,outcome,durationMs,requestedBy,startedAt,finishedAt,stdout,stderr");
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(line).toContain(",'+1");
    expect(line).toContain(",'@admin,");
    expect(line).toContain(",'-x,");
    const json = await catalog["history.export"].run({ ...fakeContext(), history: h }, { format: "json", filter: { app: "nope" }, limit: 10 });
    expect(JSON.parse(json.content)).toEqual([]);
  });

  it("csv cells: tab and CR prefixes, quoting", () => {
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe("\"'\rcmd\"");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
});

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
    const res = await catalog["server.health"].run({ ...fakeContext(), health: h }, {});
    expect(res.now.memory).toEqual({ totalBytes: 8_192_000_000, availableBytes: 2_048_000_000, usedPercent: 75 });
    expect(res.now.load).toEqual([0.52, 0.61, 0.7]);
    expect(res.now.uptimeSeconds).toBeCloseTo(12345.67);
    expect(res.now.disks.map((d) => d.path)).toEqual(["/"]);
    expect(res.now.disks[0]!.totalBytes).toBeGreaterThan(0);
    expect(res.series).toHaveLength(3);
  });

  it("reads the real /proc of this machine", async () => {
    const h = new HealthMonitor({ cpuProbeMs: 50 });
    const now = await h.now();
    expect(now.cpuPercent).not.toBeNull();
    expect(now.memory.totalBytes).toBeGreaterThan(0);
    expect(now.uptimeSeconds).toBeGreaterThan(0);
  });

  it("is unavailable without a sampler", async () => {
    await expect(catalog["server.health"].run(fakeContext(), {})).rejects.toMatchObject({ code: "unavailable" });
  });
});

describe("run", () => {
  it("keeps only a bounded tail in keepTail mode and the whole output otherwise", async () => {
    const script = "for (let i = 0; i < 20000; i++) process.stdout.write('line ' + i + '\\n')";
    const tail = await run(process.execPath, ["-e", script], { timeoutMs: 10_000, keepTail: 1000 });
    expect(tail.exitCode).toBe(0);
    expect(tail.stdout.length).toBe(1000);
    expect(tail.stdout.endsWith("line 19999\n")).toBe(true);
    expect(tail.droppedChars).toBeGreaterThan(100_000);
    const full = await run(process.execPath, ["-e", script], { timeoutMs: 10_000 });
    expect(full.stdout.split("\n")).toHaveLength(20001);
  });

  it("refuses an argument holding NUL without starting anything", async () => {
    const res = await run(process.execPath, ["-e", "1", "a\u0000b"], { timeoutMs: 5000 });
    expect(res.exitCode).toBe(127);
    expect(res.stderr).toMatch(/could not run/);
  });

  it("reports a program that does not exist", async () => {
    const res = await run("/nonexistent/dokku", [], { timeoutMs: 5000 });
    expect(res).toMatchObject({ exitCode: 127, stopped: null });
  });
});
