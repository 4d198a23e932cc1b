import type { Context } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";

/**
 * Server-sent events through Hono's own `streamSSE` (hono/streaming), which writes each message's
 * data line by line (every line end a browser's SSE parser knows is cut, so no line of data can
 * end the event early or smuggle a field) and refuses a line end in `event` or `id`.
 */

/** A stream's writer: one SSE message, a comment line (keeps a connection warm), or raw fields. */
export interface SseWriter {
  message(data: string, event?: string): Promise<void>;
  comment(text: string): Promise<void>;
  /** An `event` with `data`, and the `id` and `retry` (ms) fields the browser keeps for its next request. */
  resumable(fields: { event: string; data: string; id?: string; retry: number }): Promise<void>;
}

/** A write to a stream whose viewer has left: the normal end of watching, never logged as an error. */
export class ViewerGone extends Error {
  constructor() {
    super("viewer gone");
  }
}

/** Whether `e` is a viewer leaving; past a Durable Object's RPC (a hub's watch) only its message survives. */
export const isViewerGone = (e: unknown): boolean => e instanceof ViewerGone || (e instanceof Error && e.message === "viewer gone");

/** How often an open stream writes a comment line (ms): keeps proxies from closing it, finds a viewer that left. */
export const HEARTBEAT_MS = 15_000;

/**
 * An SSE response whose body `produce` writes; every write throws once the viewer has gone. A
 * heartbeat comment every HEARTBEAT_MS keeps an idle stream open; `onGone` runs once when the
 * viewer is known to have left (Hono's abort hook, or a heartbeat that could not be written).
 * The work runs under `waitUntil`, so what it started (a change) is never cut off with the
 * response. A viewer leaving is normal: it is not logged as an error.
 */
export function sseStream(c: Context, produce: (write: SseWriter) => Promise<void>, onGone?: () => void): Response {
  const response = streamSSE(c, async (stream: SSEStreamingApi) => {
    let gone = false;
    const leave = () => {
      if (gone) return;
      gone = true;
      onGone?.();
    };
    stream.onAbort(leave);
    const guard = async (write: () => Promise<unknown>) => {
      if (gone || stream.aborted || stream.closed) throw new ViewerGone();
      try {
        await write();
      } catch {
        leave();
        throw new ViewerGone();
      }
    };
    const writer: SseWriter = {
      message: (data, event) => guard(() => stream.writeSSE({ data, event })),
      comment: (text) => guard(() => stream.write(`: ${text}\n\n`)),
      resumable: ({ event, data, id, retry }) => guard(() => stream.writeSSE({ event, data, id, retry })),
    };
    const heartbeat = setInterval(() => writer.comment("ping").catch(() => clearInterval(heartbeat)), HEARTBEAT_MS);
    const work = produce(writer).catch(() => {
      // the viewer left before the end (each failed write already ran onGone)
    });
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // no execution context (a unit test's app.request): the stream still runs to its end
    }
    try {
      await work;
    } finally {
      clearInterval(heartbeat);
    }
  });
  // Proxies and the platform must not buffer or transform a live stream.
  response.headers.set("cache-control", "no-cache, no-transform");
  response.headers.set("x-accel-buffering", "no");
  response.headers.set("content-type", "text/event-stream; charset=utf-8");
  response.headers.delete("transfer-encoding");
  return response;
}

/** Whether the browser (htmx's SSE extension) asked for a stream. */
export const wantsStream = (accept: string | undefined) => (accept ?? "").includes("text/event-stream");
