import { describe, expect, it } from "vitest";
import { run } from "../../../relay/process/run.js";

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
    expect(tail.droppedChars! + tail.stdout.length).toBe(full.stdout.length);
  });

  it("decodes characters that a read cuts in two, however the output is sliced", async () => {
    // 3-byte characters in one 300 KB write: the pipe's reads and the 16 KiB decode slices cut through them.
    const text = "€".repeat(100_000) + "\n";
    const res = await run(process.execPath, ["-e", 'process.stdout.write("€".repeat(100000) + "\\n")'], { timeoutMs: 10_000, onChunk: () => {} });
    expect(res.stdout).toBe(text);
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
