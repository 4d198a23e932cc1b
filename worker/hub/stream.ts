import type { OpArgs, OpName } from "../../protocol/ops.js";
import type { HubStub } from "./client.js";
import type { Outcome } from "./outcome.js";

/** How a stream's pieces become HTML fragments for htmx (always escaped text from the host). */
export interface StreamRenderer<N extends OpName> {
  start: () => string;
  chunk: (stream: "stdout" | "stderr", text: string) => string;
  outcome: (outcome: Outcome<N>) => string;
}

/** One server-sent event; `data` may span lines (the client joins them with \n). */
export function sseMessage(data: string, event?: string): string {
  const lines = data.split(/\r?\n/).map((l) => `data: ${l}`);
  return `${event ? `event: ${event}\n` : ""}${lines.join("\n")}\n\n`;
}

const HEARTBEAT_MS = 15_000;

/**
 * Run one op and answer with `text/event-stream`: each piece of output as it arrives, then the
 * outcome, then a `done` event. htmx's SSE extension swaps each message into the page. When the
 * viewer goes away, the op is cancelled and the relay stops the command.
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
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const opId = crypto.randomUUID();
  const render = renderer(opId);
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
      void hub.cancel(opId);
    });
  }, HEARTBEAT_MS);

  const work = (async () => {
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
    clearInterval(heartbeat);
    try {
      await write(sseMessage(render.outcome(outcome)));
      await write(sseMessage(outcome.kind, "done"));
      await writer.close();
    } catch {
      // the viewer left before the end; the op already ended or was cancelled
    }
  })();
  waitUntil(work);

  return new Response(readable, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}

/** Whether the browser (htmx's SSE extension) asked for a stream. */
export const wantsStream = (accept: string | undefined) => (accept ?? "").includes("text/event-stream");
