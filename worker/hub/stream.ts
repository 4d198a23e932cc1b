import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { HubStub } from "./client.js";
import type { Outcome } from "./outcome.js";
import type { ViewerEvent } from "./viewers.js";

/** How a stream's pieces become HTML fragments for htmx (always escaped text from the host). */
export interface StreamRenderer<N extends OpName> {
  /** The pane the rest lands in; `started` is false for a change the host refused (no page to link to). */
  start: (started?: boolean) => string;
  chunk: (stream: "stdout" | "stderr", text: string) => string;
  outcome: (outcome: Outcome<N>) => string;
  /** The relay no longer keeps the first `chars` characters of a change's output. */
  dropped?: (chars: number) => string;
}

/**
 * One server-sent event; `data` may span lines (the client joins them with \n). Every line end a
 * browser's SSE parser knows (CRLF, LF and a lone CR) is cut here, so no line of data can end the
 * event early or smuggle a field.
 */
export function sseMessage(data: string, event?: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}`);
  return `${event ? `event: ${event}\n` : ""}${lines.join("\n")}\n\n`;
}

const HEARTBEAT_MS = 15_000;

/**
 * An SSE response whose body `produce` writes; `write` throws once the viewer has gone. A comment
 * line every 15 s keeps proxies from closing an idle stream and finds a viewer that left;
 * `onGone` runs once when that happens.
 */
function sseResponse(waitUntil: (work: Promise<unknown>) => void, produce: (write: (text: string) => Promise<void>) => Promise<void>, onGone?: () => void): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let open = true;
  const write = async (text: string) => {
    if (!open) throw new Error("viewer gone");
    try {
      await writer.write(encoder.encode(text));
    } catch (e) {
      open = false;
      throw e;
    }
  };
  const heartbeat = setInterval(() => {
    write(": ping\n\n").catch(() => {
      clearInterval(heartbeat);
      onGone?.();
    });
  }, HEARTBEAT_MS);
  waitUntil(
    (async () => {
      try {
        await produce(write);
        await writer.close();
      } catch {
        // the viewer left before the end
      } finally {
        clearInterval(heartbeat);
      }
    })(),
  );
  return new Response(readable, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}

/** Writes one viewer event of a change as SSE messages; `end` closes with the `done` event. */
async function writeViewerEvent<N extends OpName>(write: (text: string) => Promise<void>, render: StreamRenderer<N>, event: ViewerEvent, gone: () => Promise<Outcome<N>>): Promise<void> {
  switch (event.type) {
    case "chunk":
      return write(sseMessage(render.chunk(event.stream, event.data)));
    case "dropped":
      if (render.dropped) await write(sseMessage(render.dropped(event.chars)));
      return;
    case "end":
    case "gone": {
      const outcome = event.type === "end" ? (event.outcome as Outcome<N>) : await gone();
      await write(sseMessage(render.outcome(outcome)));
      await write(sseMessage(outcome.kind, "done"));
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
  hub: HubStub,
  waitUntil: (work: Promise<unknown>) => void,
  host: string,
  op: N,
  args: OpArgs<N>,
  subject: string,
  renderer: (opId: string) => StreamRenderer<N>,
  gone: (opId: string) => Promise<Outcome<N>>,
): Response {
  return sseResponse(waitUntil, async (write) => {
    let started;
    try {
      started = await hub.start(op, args as Record<string, unknown>, subject);
    } catch (e) {
      console.error(JSON.stringify({ msg: "starting a change failed", host, op, err: String(e) }));
      started = { kind: "offline", message: "the edge could not reach this host's hub; try again" } as const;
    }
    if (started.kind !== "started") {
      const render = renderer(crypto.randomUUID());
      await write(sseMessage(render.start(false)));
      await write(sseMessage(render.outcome(started as Outcome<N>)));
      await write(sseMessage(started.kind, "done"));
      return;
    }
    await watchInto(write, hub, started.opId, renderer(started.opId), () => gone(started.opId));
  });
}

/** Follow a change that is already running (its own page): from its first kept line to its end. */
export function streamWatch<N extends OpName>(hub: HubStub, waitUntil: (work: Promise<unknown>) => void, opId: string, render: StreamRenderer<N>, gone: () => Promise<Outcome<N>>): Response {
  return sseResponse(waitUntil, (write) => watchInto(write, hub, opId, render, gone));
}

async function watchInto<N extends OpName>(
  write: (text: string) => Promise<void>,
  hub: HubStub,
  opId: string,
  render: StreamRenderer<N>,
  gone: () => Promise<Outcome<N>>,
): Promise<void> {
  await write(sseMessage(render.start()));
  try {
    await hub.watch(opId, (event: ViewerEvent) => writeViewerEvent(write, render, event, gone));
  } catch (e) {
    console.error(JSON.stringify({ msg: "watching a change failed", opId, err: String(e) }));
    await writeViewerEvent(write, render, { type: "end", outcome: { kind: "offline", message: "the edge lost this host's hub; the change keeps running on the host — reload to follow it" } }, gone);
  }
}

/**
 * Run one read op (a live log tail) and answer with `text/event-stream`: each piece of output as it
 * arrives, then the outcome, then a `done` event. htmx's SSE extension swaps each message into the
 * page. When the viewer goes away, the op is cancelled and the relay stops the command. Changes go
 * through `streamChange` instead: they never stop because a viewer left.
 */
export function streamOp<N extends OpName>(
  hub: HubStub,
  waitUntil: (work: Promise<unknown>) => void,
  host: string,
  op: N,
  args: OpArgs<N>,
  subject: string,
  renderer: (opId: string) => StreamRenderer<N>,
): Response {
  const opId = crypto.randomUUID();
  const render = renderer(opId);
  const cancel = () => void hub.cancel(opId);
  return sseResponse(
    waitUntil,
    async (write) => {
      let outcome: Outcome<N>;
      try {
        await write(sseMessage(render.start()));
        outcome = (await hub.run(
          op,
          args as Record<string, unknown>,
          subject,
          async (stream: "stdout" | "stderr", data: string) => write(sseMessage(render.chunk(stream, data))),
          opId,
        )) as Outcome<N>;
      } catch (e) {
        console.error(JSON.stringify({ msg: "stream op failed", host, op, err: String(e) }));
        outcome = { kind: "offline", message: "the edge could not reach this host's hub; try again" };
      }
      await write(sseMessage(render.outcome(outcome)));
      await write(sseMessage(outcome.kind, "done"));
    },
    cancel,
  );
}

/** Whether the browser (htmx's SSE extension) asked for a stream. */
export const wantsStream = (accept: string | undefined) => (accept ?? "").includes("text/event-stream");
