import { describe, expect, it } from "vitest";
import { ENDED_KEEP_CHARS, ENDED_KEEP_MS, JobRegistry } from "../../../relay/ops/jobs.js";
import { OutputBuffer } from "../../../relay/ops/output-buffer.js";

const info = (opId: string, app: string | null) => ({ opId, op: "apps.rebuild", app, requestedBy: "admin", startedAt: Date.now() });

describe("OutputBuffer", () => {
  it("numbers pieces by their offset in the whole output", () => {
    const b = new OutputBuffer(100);
    expect(b.append("stdout", "abc").seq).toBe(0);
    expect(b.append("stderr", "de").seq).toBe(3);
    expect(b.end).toBe(5);
    expect(b.dropped).toBe(0);
    expect(
      b
        .kept()
        .map((p) => p.data)
        .join(""),
    ).toBe("abcde");
  });

  it("keeps only the newest characters and says how many went", () => {
    const b = new OutputBuffer(10);
    for (let i = 0; i < 10; i++) b.append("stdout", `${i}${i}${i}\n`);
    const kept = b.kept();
    expect(kept.reduce((n, p) => n + p.data.length, 0)).toBeLessThanOrEqual(10);
    expect(kept.at(-1)!.data).toBe("999\n");
    expect(b.dropped).toBe(kept[0]!.seq);
    expect(b.dropped).toBe(40 - kept.length * 4);
  });
});

describe("JobRegistry", () => {
  it("runs one change per app and names the one that holds it", () => {
    const jobs = new JobRegistry();
    expect(jobs.start(info("a", "web")).ok).toBe(true);
    const second = jobs.start(info("b", "web"));
    expect(second).toMatchObject({ ok: false, running: { opId: "a" } });
    expect(jobs.start(info("c", "api")).ok).toBe(true);
    jobs.finish("a");
    expect(jobs.start(info("d", "web")).ok).toBe(true);
    expect(jobs.list().map((j) => j.opId)).toEqual(["c", "d"]);
  });

  it("does not serialise host-wide changes", () => {
    const jobs = new JobRegistry();
    expect(jobs.start(info("a", null)).ok).toBe(true);
    expect(jobs.start(info("b", null)).ok).toBe(true);
  });

  it("keeps an ended change's output for late viewers for ENDED_KEEP_MS, then lets it go", () => {
    let now = 1_000_000;
    const jobs = new JobRegistry(undefined, () => now);
    const a = jobs.start(info("a", "web"));
    if (!a.ok) throw new Error("busy");
    a.job.output.append("stdout", "done\n");
    jobs.finish("a");
    expect(jobs.get("a")).toBeUndefined();
    expect(jobs.list()).toEqual([]);
    expect(
      jobs
        .endedOutput("a")
        ?.kept()
        .map((p) => p.data),
    ).toEqual(["done\n"]);
    now += ENDED_KEEP_MS;
    expect(jobs.endedOutput("a")).toBeDefined();
    now += 1;
    expect(jobs.endedOutput("a")).toBeUndefined();
  });

  it("keeps at most ENDED_KEEP_CHARS of ended changes' output, letting the oldest go first", () => {
    const jobs = new JobRegistry();
    const big = "x".repeat(ENDED_KEEP_CHARS / 2);
    for (const id of ["a", "b", "c"]) {
      const j = jobs.start(info(id, id));
      if (!j.ok) throw new Error("busy");
      j.job.output.append("stdout", big);
      jobs.finish(id);
    }
    expect(["a", "b", "c"].map((id) => jobs.endedOutput(id) !== undefined)).toEqual([false, true, true]);
  });
});
