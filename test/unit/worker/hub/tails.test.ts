import { describe, expect, it } from "vitest";
import { Tails } from "../../../../worker/hub/tails.js";
import type { Outcome } from "../../../../worker/hub/outcome.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok: Outcome<"logs.tail"> = { kind: "ok", result: { lines: [], truncated: false } };

describe("live tails between the relay and their viewers", () => {
  it("hands each pull the lines that came since the last, and the end once it came", async () => {
    const tails = new Tails(() => {});
    tails.open("t", "alice");
    tails.push("t", "stdout", "one\ntwo\n");
    tails.push("t", "stderr", "oops\nhalf");
    const first = await tails.pull("t", "alice", 0);
    expect(first).toEqual({
      kind: "batch",
      batch: {
        lines: [
          { stream: "stdout", text: "one\n" },
          { stream: "stdout", text: "two\n" },
          { stream: "stderr", text: "oops\n" },
          { stream: "stderr", text: "half" },
        ],
        skipped: 0,
      },
    });
    tails.end("t", ok);
    expect(await tails.pull("t", "alice", 0)).toEqual({ kind: "batch", batch: { lines: [], skipped: 0, end: ok } });
    expect(await tails.pull("t", "alice", 0)).toEqual({ kind: "gone" });
  });

  it("keeps at most what a page shows between pulls, counting what it left out (the relay's count too)", async () => {
    const tails = new Tails(() => {}, 60_000, 3);
    tails.open("t", "alice");
    tails.push("t", "stdout", "1\n2\n3\n4\n", 10);
    tails.push("t", "stdout", "5\n");
    const pulled = await tails.pull("t", "alice", 0);
    expect(pulled).toEqual({ kind: "batch", batch: { lines: ["3\n", "4\n", "5\n"].map((text) => ({ stream: "stdout", text })), skipped: 12 } });
  });

  it("a pull waits for new lines, and wakes as soon as they come", async () => {
    const tails = new Tails(() => {});
    tails.open("t", "alice");
    const pending = tails.pull("t", "alice", 5_000);
    setTimeout(() => tails.push("t", "stdout", "late\n"), 20);
    expect(await pending).toEqual({ kind: "batch", batch: { lines: [{ stream: "stdout", text: "late\n" }], skipped: 0 } });
    // nothing new: the pull ends empty after its wait
    expect(await tails.pull("t", "alice", 10)).toEqual({ kind: "batch", batch: { lines: [], skipped: 0 } });
  });

  it("only its own viewer may pull or close a tail", async () => {
    const tails = new Tails(() => {});
    tails.open("t", "alice");
    expect(await tails.pull("t", "mallory", 0)).toEqual({ kind: "gone" });
    expect(tails.close("t", "mallory")).toBe(false);
    expect(tails.close("t", "alice")).toBe(true);
    expect(tails.has("t")).toBe(false);
  });

  it("ends a tail nobody pulls within its lease, and never one whose viewer is pulling", async () => {
    const expired: string[] = [];
    const tails = new Tails((id) => expired.push(id), 40);
    tails.open("idle", "alice");
    tails.open("watched", "alice");
    const long = tails.pull("watched", "alice", 150);
    await sleep(100);
    expect(expired).toEqual(["idle"]);
    expect(tails.has("idle")).toBe(false);
    await long;
    expect(tails.has("watched")).toBe(true); // the lease starts again after each pull
    await sleep(100);
    expect(expired).toEqual(["idle", "watched"]);
  });

  it("a pull may hold the tail longer (the rest of its segment, however slowly its viewer reads) before the lease runs", async () => {
    const expired: string[] = [];
    const tails = new Tails((id) => expired.push(id), 40);
    tails.open("t", "alice");
    await tails.pull("t", "alice", 0, 120);
    await sleep(100);
    expect(expired).toEqual([]);
    await sleep(150);
    expect(expired).toEqual(["t"]);
  });
});
