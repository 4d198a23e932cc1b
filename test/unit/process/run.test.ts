import { describe, expect, it } from "vitest";
import { run } from "../../../relay/process/run.js";

describe("run", () => {
  it("writes `stdin` to the command and closes it; without it, stdin is closed empty", async () => {
    const echo = "let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => process.stdout.write(`[${s}]`))";
    expect((await run(process.execPath, ["-e", echo], { timeoutMs: 10_000, stdin: "secret\n" })).stdout).toBe("[secret\n]");
    expect((await run(process.execPath, ["-e", echo], { timeoutMs: 10_000 })).stdout).toBe("[]");
  });

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

  it("never stops a command for what it prints: past what it keeps, output is counted and dropped", async () => {
    // 20 MiB on stdout, then an exit status of its own: the command runs to its end.
    const script =
      "const b = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 20 * 1024; i++) process.stdout.write(b); process.stdout.write('the end\\n'); process.exitCode = 3";
    const res = await run(process.execPath, ["-e", script], { timeoutMs: 60_000, keep: { head: 1000, tail: 2000 } });
    expect(res).toMatchObject({ exitCode: 3, stopped: null });
    expect(res.stdout.length).toBeLessThan(3100);
    expect(res.stdout.startsWith("x".repeat(1000))).toBe(true);
    expect(res.stdout.endsWith("the end\n")).toBe(true);
    expect(res.stdout).toMatch(/\n\[… [\d,]+ characters not kept …\]\n/);
    expect(res.droppedChars).toBe(20 * 1024 * 1024 + "the end\n".length - 3000);
    // by default (a read's parser) the first RUN_OUTPUT_CAP characters are kept, and still nothing is stopped
    const read = await run(process.execPath, ["-e", script], { timeoutMs: 60_000 });
    expect(read).toMatchObject({ exitCode: 3, stopped: null });
    expect(read.droppedChars).toBeGreaterThan(0);
  }, 90_000);

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
