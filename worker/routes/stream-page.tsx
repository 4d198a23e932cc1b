import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { OpName } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";
import { OfflineNote, outcomeStatus, StaleNote } from "../pages/outcome.js";
import { errText, log } from "../log.js";

/** Where a frame's sections go: rendered as this comment, then cut there. */
const SLOT = "<!--docklight:sections-->";

/** One part of a page, in document order: already known, or the promise of it (a read under way). */
export type Section = Child | Promise<Child>;

const render = async (child: Child): Promise<string> => String(await (<>{child}</>).toString());

/** Said in place of a section whose rendering failed (a bug; the details are in the log). */
const BROKEN = (
  <div class="outcome outcome-error" role="alert">
    <strong>This part of the page could not be shown.</strong>
  </div>
);

/**
 * How long a page may wait for all its reads before it starts streaming (ms). Within it (every read
 * answered from the cache), the page goes out whole and compressed; past it, the frame goes out
 * at once and the page streams, uncompressed (a compressor holds small writes back until the end).
 */
export const WHOLE_WITHIN_MS = 15;

/**
 * Answer with a page that never waits on the host before its first bytes: the frame (head,
 * navigation, headings — what is known without asking the host) is written at once, then each
 * section as soon as it and every section before it are ready, then the rest of the frame. The
 * caller starts every read of the page before calling this, so they run together and the page is
 * complete when its slowest read is. The HTML arrives in document order, whole, with no script:
 * the browser paints each part as it comes, and a page without JavaScript is the same page.
 * When every part is ready within WHOLE_WITHIN_MS (all read from the cache, or the host offline),
 * the page is sent in one piece instead, so the platform compresses it, and its status says how
 * its `main` read ended. `frame` lays out the page around `slot` (exactly once). A streamed page's
 * status is 200 (it is sent before any read ends): a read that failed says so in its section.
 */
export async function streamPage(
  c: Context,
  frame: (slot: Child) => Child | Promise<Child>,
  sections: Section[],
  main?: Promise<Outcome<OpName>>,
): Promise<Response> {
  const parts = sections.map((section) => Promise.resolve(section).then(render).catch(broken(c)));
  const framed = Promise.resolve(frame(raw(SLOT))).then(render);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = await Promise.race([
    Promise.all([framed, ...parts]).then(([whole, ...html]) => ({ whole, html })),
    new Promise<null>((r) => (timer = setTimeout(() => r(null), WHOLE_WITHIN_MS))),
  ]);
  if (timer !== undefined) clearTimeout(timer);
  if (soon) {
    // Sent whole, the page's status can say how its main read ended (503 host offline, 404 not found).
    const ended = main && (await main);
    return c.html(fill(soon.whole, soon.html.join("")), ended && ended.kind !== "ok" ? outcomeStatus(ended) : 200);
  }

  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = (text: string) => writer.write(encoder.encode(text));
  const work = (async () => {
    try {
      const whole = await framed;
      const at = slotIn(whole);
      await write(whole.slice(0, at));
      for (const part of parts) await write(await part);
      await write(whole.slice(at + SLOT.length));
      await writer.close();
    } catch (e) {
      // the viewer left (the write failed), or the frame itself could not be rendered
      log.warn("page stream ended early", { path: c.req.path, err: e instanceof Error ? e.message : "unknown" });
      await writer.abort(e).catch(() => {});
    }
  })();
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context (a unit test's app.request): the stream still runs to its end
  }
  // `identity` and `no-transform`: the platform must not compress (and so hold back) this stream.
  // A page that reveals a secret has said `no-store` already (noStore): it keeps it.
  const noStore = (c.res.headers.get("cache-control") ?? "").includes("no-store");
  return c.body(readable, 200, {
    "content-type": "text/html; charset=UTF-8",
    "content-encoding": "identity",
    "cache-control": noStore ? "no-store, no-transform" : "no-transform",
  });
}

function slotIn(whole: string): number {
  const at = whole.indexOf(SLOT);
  if (at < 0) throw new Error("the page's frame has no slot for its sections");
  return at;
}

const fill = (whole: string, sections: string) => {
  const at = slotIn(whole);
  return `${whole.slice(0, at)}${sections}${whole.slice(at + SLOT.length)}`;
};

/** A section whose rendering failed (a bug): logged, and said in its place. */
const broken = (c: Context) => (e: unknown) => {
  log.error("a page section failed", { path: c.req.path, err: errText(e) });
  return render(BROKEN);
};

/** Whether a value is an outcome served from the cache past its freshness: how old (ms), else null. */
function staleAge(v: unknown): number | null {
  return typeof v === "object" && v !== null && "ageMs" in v && typeof v.ageMs === "number" ? v.ageMs : null;
}

/** Whether a value is the last known answer of a host that is offline: when it was read (ms since epoch), else null. */
function offlineAsOf(v: unknown): number | null {
  return typeof v === "object" && v !== null && "asOf" in v && typeof v.asOf === "number" ? v.asOf : null;
}

/**
 * A section made from reads: `render` gets their values once all are in. When any read is the last
 * known answer of a host that is offline, the section starts with "as of T, host offline" (the
 * oldest T); else when any was served from the cache past its freshness, with a note saying how
 * old it is (a fresh read is already under way).
 */
export async function fromReads<const T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }, render: (...values: T) => Child): Promise<Child> {
  const values = (await Promise.all(reads)) as unknown as T;
  const asOf = values.map(offlineAsOf).filter((a): a is number => a !== null);
  const ages = values.map(staleAge).filter((a): a is number => a !== null);
  const body = render(...values);
  if (asOf.length > 0) {
    return (
      <>
        <OfflineNote asOf={Math.min(...asOf)} />
        {body}
      </>
    );
  }
  return ages.length > 0 ? (
    <>
      <StaleNote ageMs={Math.max(...ages)} />
      {body}
    </>
  ) : (
    body
  );
}
