import { afterEach, describe, expect, it, vi } from "vitest";
import { streamWatch, type StreamRenderer } from "../../worker/hub/stream.js";
import type { ViewerEvent } from "../../worker/hub/viewers.js";

const render: StreamRenderer<"apps.restart"> = { start: () => "<pre></pre>", chunk: (_s, t) => t, outcome: (o) => o.kind };

afterEach(() => vi.restoreAllMocks());

describe("a viewer who leaves a change's stream", () => {
  it("is a normal end: nothing is logged at error level", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let send: ((e: ViewerEvent) => Promise<void>) | undefined;
    let watching!: () => void;
    const watched = new Promise<void>((r) => (watching = r));
    const hub = {
      watch: (_id: string, cb: (e: ViewerEvent) => Promise<void>) =>
        new Promise<void>((resolve, reject) => {
          send = cb;
          watching();
          // the hub forwards the next chunk; the write fails as the viewer has gone
          (hub as { next?: () => void }).next = () => cb({ type: "chunk", stream: "stdout", data: "more\n" } as ViewerEvent).then(resolve, reject);
        }),
    } as unknown as Parameters<typeof streamWatch>[0] & { next?: () => void };
    let work!: Promise<unknown>;
    const res = streamWatch(hub, (w) => (work = w), "0f8fad5b-d9cb-469f-a165-70867728950e", render, async () => ({ kind: "ok", result: { output: "" } }));
    const reader = res.body!.getReader();
    await reader.read(); // the pane
    await watched;
    await reader.cancel(); // the viewer leaves
    hub.next!();
    await work;
    expect(send).toBeDefined();
    expect(errors).not.toHaveBeenCalled();
  });
});
