import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Principal } from "../../protocol/principal.js";
import type { ViewerEvent } from "../../worker/hub/viewers.js";
import { streamWatch, type StreamRenderer } from "../../worker/streams/change.js";

const render: StreamRenderer<"apps.restart"> = { start: () => "<pre></pre>", chunk: (_s: string, t: string) => t, outcome: (o) => o.kind };
const principal = { user: "admin" } as unknown as Principal;

afterEach(() => vi.restoreAllMocks());

describe("a viewer who leaves a change's stream", () => {
  it("is a normal end: nothing is logged at error level", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let forward!: () => Promise<boolean>;
    let watching!: () => void;
    const watched = new Promise<void>((r) => (watching = r));
    // A hub that, once asked to watch, forwards the next chunk when told; its write fails once the viewer left.
    const hub = {
      watch: (_id: string, _p: Principal, cb: (e: ViewerEvent) => Promise<boolean>) =>
        new Promise<void>((resolve, reject) => {
          forward = async () => {
            try {
              const delivered = await cb({ type: "chunk", stream: "stdout", data: "more\n" } as ViewerEvent);
              resolve();
              return delivered;
            } catch (e) {
              reject(e);
              throw e;
            }
          };
          watching();
        }),
    };
    const app = new Hono().get("/", (c) =>
      streamWatch(c, hub as unknown as Parameters<typeof streamWatch>[1], "0f8fad5b-d9cb-469f-a165-70867728950e", principal, render, async () => ({
        kind: "ok",
        result: { output: "" },
      })),
    );
    const works: Promise<unknown>[] = [];
    const res = await app.request("/", {}, {}, {
      waitUntil: (w: Promise<unknown>) => void works.push(w),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext);
    const reader = res.body!.getReader();
    await reader.read(); // the pane
    await watched;
    await reader.cancel(); // the viewer leaves
    // the write inside the hub's watch fails: the callback says the viewer has gone by its answer, not a throw (RPC)
    expect(await forward()).toBe(false);
    await Promise.all(works); // the stream's work ran to its end
    expect(works).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });
});
