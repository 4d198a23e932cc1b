import { describe, expect, it } from "vitest";
import { Viewers, viewerCallback, type ViewerEvent } from "../../../../worker/hub/viewers.js";

/** A viewer that records what it is told, and a way to wait until it is finished. */
function watch(viewers: Viewers, opId: string, tag: string) {
  const events: ViewerEvent[] = [];
  const { done } = viewers.add(opId, tag, (e) => {
    events.push(e);
    return true;
  });
  return { events, done };
}

const noLeft = () => {
  throw new Error("no viewer should leave");
};

describe("Viewers", () => {
  it("gives a late viewer of a change that just ended its replayed output, then sends it to history", async () => {
    const viewers = new Viewers();
    const v = watch(viewers, "op", "t");
    viewers.chunk("op", "stdout", "-----> Linking\n", 0, "t", noLeft);
    viewers.chunk("op", "stderr", "note\n", 15, "t", noLeft);
    viewers.attached("op", "t", false, 0, noLeft);
    await v.done;
    expect(v.events).toEqual([
      { type: "chunk", stream: "stdout", data: "-----> Linking\n" },
      { type: "chunk", stream: "stderr", data: "note\n" },
      { type: "gone" },
    ]);
    expect(viewers.has("op")).toBe(false);
  });

  it("tells a viewer who attached after the end how the change ended, after its replayed output, when the hub knows", async () => {
    const viewers = new Viewers();
    const v = watch(viewers, "op", "t");
    viewers.chunk("op", "stderr", " !     refused\n", 0, "t", noLeft);
    const outcome = { kind: "error", code: "dokku_error", message: "refused" } as const;
    viewers.attached("op", "t", false, 0, noLeft, outcome);
    await v.done;
    expect(v.events).toEqual([
      { type: "chunk", stream: "stderr", data: " !     refused\n" },
      { type: "end", outcome },
    ]);
  });

  it("keeps a viewer of a change whose result the hub still awaits until that result ends it", async () => {
    const viewers = new Viewers();
    const v = watch(viewers, "op", "t");
    viewers.attached("op", "t", false, 0, noLeft, "pending");
    expect(viewers.has("op")).toBe(true);
    viewers.end("op", { kind: "ok", result: { output: "done\n" } } as never);
    await v.done;
    expect(v.events).toEqual([{ type: "end", outcome: { kind: "ok", result: { output: "done\n" } } }]);
  });

  it("says how much output is no longer kept before the first piece it replays", async () => {
    const viewers = new Viewers();
    const v = watch(viewers, "op", "t");
    viewers.chunk("op", "stdout", "tail\n", 4096, "t", noLeft);
    viewers.attached("op", "t", true, 4096, noLeft);
    viewers.chunk("op", "stdout", "live\n", 4101, undefined, noLeft);
    viewers.end("op", { kind: "ok", result: { output: "" } } as never);
    await v.done;
    expect(v.events.map((e) => (e.type === "chunk" ? e.data : e.type === "dropped" ? `dropped ${e.chars}` : e.type))).toEqual([
      "dropped 4096",
      "tail\n",
      "live\n",
      "end",
    ]);
  });

  it("says so once when nothing could be replayed of a change whose output went", async () => {
    const viewers = new Viewers();
    const v = watch(viewers, "op", "t");
    viewers.attached("op", "t", true, 100, noLeft);
    viewers.end("op", { kind: "ok", result: { output: "" } } as never);
    await v.done;
    expect(v.events.map((e) => e.type)).toEqual(["dropped", "end"]);
  });

  it("lets go of a viewer whose callback answers that it left (false, not a throw: over RPC a throw is an uncaught error), telling the hub once", async () => {
    const viewers = new Viewers();
    const told: ViewerEvent[] = [];
    const { done } = viewers.add("op", "t", (e) => {
      told.push(e);
      return false;
    });
    let left = 0;
    viewers.chunk("op", "stdout", "one\n", 0, "t", () => left++);
    viewers.chunk("op", "stdout", "two\n", 4, "t", () => left++);
    await done;
    expect(told).toEqual([{ type: "chunk", stream: "stdout", data: "one\n" }]);
    expect(left).toBe(1);
    expect(viewers.has("op")).toBe(false);
  });
});

describe("viewerCallback", () => {
  it("answers true once a write went out, and false (never a rejection) once the write throws because the viewer left", async () => {
    const event: ViewerEvent = { type: "gone" };
    expect(await viewerCallback(async () => {})(event)).toBe(true);
    expect(
      await viewerCallback(async () => {
        throw new Error("viewer gone");
      })(event),
    ).toBe(false);
  });
});
