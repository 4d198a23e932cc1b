import type { Context } from "hono";
import type { OpArgs } from "../../protocol/ops.js";
import type { Principal } from "../../protocol/principal.js";
import type { Outcome } from "../hub/outcome.js";
import type { HubStub } from "../hub/stub.js";
import type { TailLine } from "../hub/tails.js";
import { sseStream, ViewerGone } from "./sse.js";
import { errText, log } from "../log.js";

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
  c: Context,
  hub: HubStub,
  tail: { op: "logs.tail"; args: OpArgs<"logs.tail">; principal: Principal; resume: string | null },
  render: TailRenderer,
): Response {
  let id = tail.resume;
  let over = false;
  const leave = () => {
    if (over) return;
    over = true;
    if (id) void hub.tailClose(id, tail.principal.user).catch(() => {});
  };
  c.req.raw.signal.addEventListener("abort", leave, { once: true });
  return sseStream(c, async (write) => {
    try {
      const deadline = Date.now() + TAIL_SEGMENT_MS;
      const open = async (again: boolean) => {
        id = await hub.tailOpen(tail.op, tail.args as Record<string, unknown>, tail.principal);
        await write.resumable({ event: "tail", data: id, id, retry: TAIL_RETRY_MS });
        await write.message(again ? render.resumed() : render.start());
      };
      if (id === null) await open(false);
      else await write.resumable({ event: "tail", data: id, retry: TAIL_RETRY_MS });
      const left = () => deadline - Date.now();
      while (!over && left() > 0) {
        const pulled = await hub.tailPull(id!, tail.principal.user, Math.min(TAIL_POLL_MS, left()), left());
        if (pulled.kind === "gone") {
          await open(true);
          continue;
        }
        const { lines, skipped, end } = pulled.batch;
        const html = `${skipped > 0 ? render.skipped(skipped) : ""}${lines.length > 0 ? render.lines(lines) : ""}`;
        // A viewer that does not read (or a connection that died without a word) holds the write:
        // the segment still ends on time, and the hub's lease decides whether a renewal comes.
        const sending = (html ? write.message(html) : write.comment("idle")).then(
          () => "sent" as const,
          (e: unknown) => ({ failed: e }),
        );
        const sent = await Promise.race([sending, new Promise<"late">((r) => setTimeout(() => r("late"), Math.max(0, left())))]);
        if (sent === "late") break;
        if (sent !== "sent") throw sent.failed;
        if (end) {
          over = true;
          await write.message(render.outcome(end as Outcome<"logs.tail">));
          await write.message(end.kind, "done");
        }
      }
      // The segment ends here, the tail goes on: the page asks for the next one at once.
      over = true;
    } catch (e) {
      if (!over && !(e instanceof ViewerGone)) log.error("log tail failed", { op: tail.op, err: errText(e) });
      leave();
      throw e;
    }
  });
}
