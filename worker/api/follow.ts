import type { Outcome } from "../hub/outcome.js";
import type { HubStub } from "../hub/stub.js";
import { viewerCallback, type ViewerEvent } from "../hub/viewers.js";
import type { ChangeEnd } from "../hub/started-changes.js";
import type { OpName } from "../../protocol/ops.js";
import type { Principal } from "../../protocol/principal.js";
import { isViewerGone } from "../streams/sse.js";
import { errText, log } from "../log.js";

/** An outcome as the API says it (the Outcome schema of worker/api/schemas.ts). */
export function apiOutcome(o: Outcome<OpName> | ChangeEnd): { ok: boolean; kind: string; code: string | null; message: string } {
  if ("at" in o) return { ok: o.ok, kind: o.kind, code: o.code, message: o.message };
  if (o.kind === "ok") return { ok: true, kind: "ok", code: null, message: "ok" };
  return { ok: false, kind: o.kind, code: o.kind === "error" ? o.code : null, message: o.message };
}

/**
 * Follow a running change as JSON lines (`application/x-ndjson`): its output from the first line
 * the relay keeps, then `{"type":"end","outcome":…}`. The hub decides whether `principal` may
 * watch; a change that already ended ends the stream with `gone()`'s outcome. The change never
 * depends on this stream: a client that leaves only stops watching.
 */
export function followNdjson(
  hub: HubStub,
  opId: string,
  principal: Principal,
  gone: () => Promise<Outcome<OpName>>,
  waitUntil: (p: Promise<unknown>) => void,
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const enc = new TextEncoder();
  const line = (o: unknown) => writer.write(enc.encode(`${JSON.stringify(o)}\n`));
  const onEvent = async (e: ViewerEvent) => {
    if (e.type === "chunk") return line({ type: "output", stream: e.stream, data: e.data });
    if (e.type === "dropped") return line({ type: "dropped", chars: e.chars });
    return line({ type: "end", outcome: apiOutcome(e.type === "end" ? e.outcome : await gone()) });
  };
  const run = (async () => {
    try {
      await hub.watch(opId, principal, viewerCallback(onEvent));
    } catch (e) {
      if (!isViewerGone(e) && !(e instanceof TypeError)) {
        log.error("api: following a change failed", { opId, err: errText(e) });
        await line({
          type: "end",
          outcome: { ok: false, kind: "offline", code: null, message: "the edge lost this host's hub; the change keeps running there" },
        }).catch(() => {});
      }
    } finally {
      await writer.close().catch(() => {});
    }
  })();
  waitUntil(run);
  return new Response(readable, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
}
