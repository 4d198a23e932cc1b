import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { HubStub } from "./client.js";
import type { Outcome } from "./outcome.js";
import type { TailLine } from "./tails.js";
import type { ViewerEvent } from "./viewers.js";

/** How a stream's pieces become HTML fragments for htmx (always escaped text from the host). */
export interface StreamRenderer<N extends OpName> {
  /** The pane the rest lands in; `started` is false for a change the host refused (no page to link to). */
  start: (started?: boolean) => string;
  chunk: (stream: "stdout" | "stderr", text: string) => string;
  outcome: (outcome: Outcome<N>) => string;
  /** The relay no longer keeps the first `chars` characters of a change's output. */
  dropped?: (chars: number) => string;
  /** DOM events to fire once the outcome is shown (sent as SSE events before `done`): what the change made stale. */
  events?: (outcome: Outcome<N>) => string[];
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

/** A write to a viewer who has left (closed the tab, navigated away): a normal end of a stream, never an error to log. */
export class ViewerGone extends Error {
  constructor(cause?: unknown) {
    super("viewer gone", { cause });
    this.name = "ViewerGone";
  }
}

/** Whether `e` is (or was caused by) a viewer leaving; across a Durable Object RPC only its message survives. */
export const isViewerGone = (e: unknown): boolean => e instanceof ViewerGone || (e instanceof Error && /viewer gone/.test(e.message));

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
    if (!open) throw new ViewerGone();
    try {
      await writer.write(encoder.encode(text));
    } catch (e) {
      open = false;
      throw new ViewerGone(e);
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
      for (const name of render.events?.(outcome) ?? []) await write(sseMessage(name, name));
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
    if (isViewerGone(e)) throw e;
    console.error(JSON.stringify({ msg: "watching a change failed", opId, err: String(e) }));
    await writeViewerEvent(write, render, { type: "end", outcome: { kind: "offline", message: "the edge lost this host's hub; the change keeps running on the host — reload to follow it" } }, gone);
  }
}

/** How a live tail's pieces become HTML fragments for htmx (always escaped text from the host). */
export interface TailRenderer {
  /** The first message of a new tail. */
  start: () => string;
  /** The tail had ended (its viewer was away too long) and was started again. */
  resumed: () => string;
  lines: (lines: TailLine[]) => string;
  /** More lines came at once than the page keeps: this many were left out. */
  skipped: (lines: number) => string;
  outcome: (outcome: Outcome<"logs.tail">) => string;
}

/** How long one response of a tail lasts (ms); the page opens the next at once, naming the tail. */
export const TAIL_SEGMENT_MS = 2_000;
/** How long one pull waits for new lines (ms); an idle tail writes a comment line this often, which finds a viewer that left. */
const TAIL_POLL_MS = 500;
/** How soon the page opens the next segment (ms), sent as the SSE `retry`. */
const TAIL_RETRY_MS = 250;

/**
 * A live read (a log tail) as a bounded `text/event-stream`: each response lasts TAIL_SEGMENT_MS,
 * pulling what the tail printed (coalesced by the hub: at most what the page shows, with a count of
 * what was skipped) every TAIL_POLL_MS at most, then ends; htmx's SSE extension opens the next one
 * at once, sending the tail's id back as `Last-Event-ID` (`resume`). The tail stops as soon as its
 * viewer is known to have left (the request's signal, or a write that fails), and within the hub's
 * lease (TAIL_LEASE_MS) after the last segment when the connection died silently and no renewal
 * comes. A tail that is gone when its page renews (it was away too long) is started again.
 */
export function streamTail(
  hub: HubStub,
  waitUntil: (work: Promise<unknown>) => void,
  signal: AbortSignal,
  tail: { op: "logs.tail"; args: OpArgs<"logs.tail">; subject: string; resume: string | null },
  render: TailRenderer,
): Response {
  let id = tail.resume;
  let over = false;
  const leave = () => {
    if (over) return;
    over = true;
    if (id) void hub.tailClose(id, tail.subject).catch(() => {});
  };
  signal.addEventListener("abort", leave, { once: true });
  return sseResponse(waitUntil, async (write) => {
    try {
      const deadline = Date.now() + TAIL_SEGMENT_MS;
      const open = async (again: boolean) => {
        id = await hub.tailOpen(tail.op, tail.args as Record<string, unknown>, tail.subject);
        await write(`id: ${id}\nretry: ${TAIL_RETRY_MS}\nevent: tail\ndata: ${id}\n\n`);
        await write(sseMessage(again ? render.resumed() : render.start()));
      };
      if (id === null) await open(false);
      else await write(`retry: ${TAIL_RETRY_MS}\nevent: tail\ndata: ${id}\n\n`);
      const left = () => deadline - Date.now();
      while (!over && left() > 0) {
        const pulled = await hub.tailPull(id!, tail.subject, Math.min(TAIL_POLL_MS, left()), left());
        if (pulled.kind === "gone") {
          await open(true);
          continue;
        }
        const { lines, skipped, end } = pulled.batch;
        const html = `${skipped > 0 ? render.skipped(skipped) : ""}${lines.length > 0 ? render.lines(lines) : ""}`;
        // A viewer that does not read (or a connection that died without a word) holds the write:
        // the segment still ends on time, and the hub's lease decides whether a renewal comes.
        const sending = write(html ? sseMessage(html) : ": idle\n\n").then(
          () => "sent" as const,
          (e: unknown) => ({ failed: e }),
        );
        const sent = await Promise.race([sending, new Promise<"late">((r) => setTimeout(() => r("late"), Math.max(0, left())))]);
        if (sent === "late") break;
        if (sent !== "sent") throw sent.failed;
        if (end) {
          over = true;
          await write(sseMessage(render.outcome(end as Outcome<"logs.tail">)));
          await write(sseMessage(end.kind, "done"));
        }
      }
      // The segment ends here, the tail goes on: the page asks for the next one at once.
      over = true;
    } catch (e) {
      if (!over && !isViewerGone(e)) console.error(JSON.stringify({ msg: "log tail failed", op: tail.op, err: String(e) }));
      leave();
      throw e;
    }
  });
}

/** Whether the browser (htmx's SSE extension) asked for a stream. */
export const wantsStream = (accept: string | undefined) => (accept ?? "").includes("text/event-stream");
