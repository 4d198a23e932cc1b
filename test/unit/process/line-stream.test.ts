import { describe, expect, it } from "vitest";
import { maskUrlCredentials } from "../../../protocol/redact.js";
import { BURST_MAX_CHARS, BURST_MAX_LINES, LatestLines, LineStream, MIN_SEND_INTERVAL_MS } from "../../../relay/process/line-stream.js";

describe("LineStream", () => {
  it("masks a database URL even when a pipe read splits it", () => {
    const sent: string[] = [];
    const s = new LineStream((t) => sent.push(t), maskUrlCredentials);
    s.push("       DATABASE_URL:  postgres://postgres:8d3f6c");
    s.push("1e2b7a4f90@dokku-postgres-db:5432/db\n-----> Restarting app api\n");
    s.flush();
    const all = sent.join("");
    expect(all).toContain("postgres://postgres:***@dokku-postgres-db:5432/db");
    expect(all).not.toContain("8d3f6c");
    expect(all).toContain("-----> Restarting app api\n");
  });

  it("sends whole lines as they complete and the rest at the end", () => {
    const sent: string[] = [];
    const s = new LineStream((t) => sent.push(t));
    s.push("one\ntw");
    expect(sent).toEqual(["one\n"]);
    s.push("o\nthree");
    expect(sent).toEqual(["one\n", "two\n"]);
    s.flush();
    expect(sent).toEqual(["one\n", "two\n", "three"]);
  });

  it("does not hold an endless line without bound", () => {
    const sent: string[] = [];
    const s = new LineStream(
      (t) => sent.push(t),
      (t) => t,
      10,
    );
    s.push("x".repeat(25));
    expect(sent.join("")).toBe("x".repeat(25));
  });
});

describe("LatestLines", () => {
  const line = (i: number) => `request ${i} handled\n`;
  type Sent = { stream: string; data: string; skipped: number };
  /** LatestLines recording what it sends into `sent`: retries every 5 ms, sends at most once per `minIntervalMs` (40 ms here). */
  const latest = (sent: Sent[], backlog = () => 0, filter?: (t: string) => string, minIntervalMs = 40) =>
    new LatestLines((stream, data, skipped) => sent.push({ stream, data, skipped }), backlog, filter, BURST_MAX_LINES, BURST_MAX_CHARS, 5, minIntervalMs);

  it("sends the first output at once, then at most one batch per interval", async () => {
    const sent: Sent[] = [];
    const out = latest(sent);
    out.push("stdout", line(1));
    expect(sent).toEqual([{ stream: "stdout", data: line(1), skipped: 0 }]);
    out.push("stdout", line(2));
    out.push("stderr", line(3));
    expect(sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(sent).toEqual([
      { stream: "stdout", data: line(1), skipped: 0 },
      { stream: "stdout", data: line(2), skipped: 0 },
      { stream: "stderr", data: line(3), skipped: 0 },
    ]);
  });

  it("sends only the newest lines of a burst that comes within one interval, even on a free link", async () => {
    const sent: Sent[] = [];
    const out = latest(sent);
    out.push("stdout", line(0));
    for (let i = 1; i < 50_001; i += 500) out.push("stdout", Array.from({ length: 500 }, (_, k) => line(i + k)).join(""));
    await new Promise((r) => setTimeout(r, 80));
    const lines = sent
      .map((s) => s.data)
      .join("")
      .split("\n")
      .filter(Boolean);
    expect(lines).toHaveLength(1 + BURST_MAX_LINES);
    expect(lines.at(-1)).toBe("request 50000 handled");
    expect(sent.reduce((n, s) => n + s.skipped, 0)).toBe(50_000 - BURST_MAX_LINES);
  });

  it("keeps only the newest lines of a burst the link cannot take, and says how many it left out", async () => {
    const sent: Sent[] = [];
    let backlog = 10 * 1024 * 1024;
    const out = latest(sent, () => backlog, undefined, MIN_SEND_INTERVAL_MS);
    for (let i = 0; i < 200_000; i += 500) out.push("stdout", Array.from({ length: 500 }, (_, k) => line(i + k)).join(""));
    expect(sent).toEqual([]);
    backlog = 0;
    await new Promise((r) => setTimeout(r, 30));
    const text = sent.map((s) => s.data).join("");
    const lines = text.split("\n").filter(Boolean);
    expect(lines).toHaveLength(BURST_MAX_LINES);
    expect(lines.at(-1)).toBe("request 199999 handled");
    expect(lines[0]).toBe(`request ${200_000 - BURST_MAX_LINES} handled`);
    expect(sent.reduce((n, s) => n + s.skipped, 0)).toBe(200_000 - BURST_MAX_LINES);
    expect(sent[0]!.skipped).toBe(200_000 - BURST_MAX_LINES);
    for (const s of sent) expect(s.data.length).toBeLessThanOrEqual(128 * 1024);
  });

  it("renders and redacts only the lines it sends, never those a burst dropped", async () => {
    let filtered = 0;
    const sent: Sent[] = [];
    const filter = (t: string) => {
      filtered += t.split("\n").length - 1;
      return t.replace(/handled/g, "done");
    };
    const out = latest(sent, () => 0, filter);
    for (let i = 0; i < 50_000; i += 500) out.push("stdout", Array.from({ length: 500 }, (_, k) => line(i + k)).join(""));
    await new Promise((r) => setTimeout(r, 80));
    expect(filtered).toBeLessThanOrEqual(500 + BURST_MAX_LINES);
    expect(sent.map((s) => s.data).join("")).not.toContain("handled");
    expect(sent.at(-1)!.data.endsWith("request 49999 done\n")).toBe(true);
  });

  it("bounds what it keeps by characters too, and sends the rest when told the command ended", () => {
    const sent: Sent[] = [];
    const out = new LatestLines(
      (stream, data, skipped) => sent.push({ stream, data, skipped }),
      () => Infinity,
    );
    const long = `${"x".repeat(200 * 1024)}\n`;
    for (let i = 0; i < 20; i++) out.push("stderr", long);
    expect(sent).toEqual([]);
    out.flush();
    const kept = sent.map((s) => s.data).join("");
    expect(kept.length).toBeLessThanOrEqual(BURST_MAX_CHARS);
    expect(kept.endsWith("x\n")).toBe(true);
    expect(sent.every((s) => s.stream === "stderr")).toBe(true);
    expect(sent.reduce((n, s) => n + s.skipped, 0)).toBe(20 - Math.floor(BURST_MAX_CHARS / long.length));
  });
});
