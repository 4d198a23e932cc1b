import type { Context } from "hono";
import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { Principal } from "../../protocol/principal.js";
import type { Outcome } from "../hub/outcome.js";
import type { HubStub } from "../hub/stub.js";
import { viewerCallback, type ViewerEvent } from "../hub/viewers.js";
import { isViewerGone, sseStream, type SseWriter } from "./sse.js";
import { errText, log } from "../log.js";

/** How a stream's pieces become HTML fragments for htmx (always escaped text from the host). */
export interface StreamRenderer<N extends OpName> {
  /** The pane the rest lands in; `started` is false for a change the host refused (no page to link to). */
  start: (started?: boolean) => string;
  chunk: (stream: "stdout" | "stderr", text: string) => string;
  outcome: (outcome: Outcome<N>) => string;
  /** The relay no longer keeps the first `chars` characters of a change's output. */
  dropped?: (chars: number) => string;
  /** DOM events to fire once the outcome is shown (SSE events before `done`): what the change made stale (pages/stale.ts). */
  events?: (outcome: Outcome<N>) => string[];
}

/** Writes one viewer event of a change as SSE messages; `end` closes with the `done` event. */
async function writeViewerEvent<N extends OpName>(
  write: SseWriter,
  render: StreamRenderer<N>,
  event: ViewerEvent,
  gone: () => Promise<Outcome<N>>,
): Promise<void> {
  switch (event.type) {
    case "chunk":
      return write.message(render.chunk(event.stream, event.data));
    case "dropped":
      if (render.dropped) await write.message(render.dropped(event.chars));
      return;
    case "end":
    case "gone": {
      const outcome = event.type === "end" ? (event.outcome as Outcome<N>) : await gone();
      await write.message(render.outcome(outcome));
      for (const name of render.events?.(outcome) ?? []) await write.message(name, name);
      await write.message(outcome.kind, "done");
    }
  }
}

/**
 * Start a change and answer with its output as SSE: a pane (with a link to the change's own page)
 * as soon as the host accepted it, each piece of output as it comes, then the outcome. The change
 * is a job on the host: when this viewer leaves, it keeps running; only Cancel stops it.
 * `gone` tells how a change ended that finished before its output could be watched (from history).
 */
export function streamChange<N extends OpName>(
  c: Context,
  hub: HubStub,
  host: string,
  op: N,
  args: OpArgs<N>,
  principal: Principal,
  renderer: (opId: string) => StreamRenderer<N>,
  gone: (opId: string) => Promise<Outcome<N>>,
): Response {
  return sseStream(c, async (write) => {
    let started;
    try {
      started = await hub.start(op, args as Record<string, unknown>, principal);
    } catch (e) {
      log.error("starting a change failed", { host, op, err: errText(e) });
      started = { kind: "offline", message: "the edge could not reach this host's hub; try again" } as const;
    }
    if (started.kind !== "started") {
      const render = renderer(crypto.randomUUID());
      await write.message(render.start(false));
      await write.message(render.outcome(started as Outcome<N>));
      await write.message(started.kind, "done");
      return;
    }
    await watchInto(write, hub, started.opId, principal, renderer(started.opId), () => gone(started.opId));
  });
}

/** Follow a change that is already running (its own page): from its first kept line to its end. */
export function streamWatch<N extends OpName>(
  c: Context,
  hub: HubStub,
  opId: string,
  principal: Principal,
  render: StreamRenderer<N>,
  gone: () => Promise<Outcome<N>>,
): Response {
  return sseStream(c, (write) => watchInto(write, hub, opId, principal, render, gone));
}

async function watchInto<N extends OpName>(
  write: SseWriter,
  hub: HubStub,
  opId: string,
  principal: Principal,
  render: StreamRenderer<N>,
  gone: () => Promise<Outcome<N>>,
): Promise<void> {
  await write.message(render.start());
  try {
    await hub.watch(
      opId,
      principal,
      viewerCallback((event: ViewerEvent) => writeViewerEvent(write, render, event, gone)),
    );
  } catch (e) {
    // The viewer left (a write failed inside the hub's watch): the normal end of watching.
    if (isViewerGone(e)) return;
    log.error("watching a change failed", { opId, err: errText(e) });
    await writeViewerEvent(
      write,
      render,
      { type: "end", outcome: { kind: "offline", message: "the edge lost this host's hub; the change keeps running on the host — reload to follow it" } },
      gone,
    );
  }
}
