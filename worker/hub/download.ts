import type { HistoryCursor, OpArgs, OpName } from "../../protocol/ops.js";
import type { Outcome } from "./outcome.js";

type Failed = Exclude<Outcome<OpName>, { kind: "ok" }>;

/** One page of a file from the host: text to append, and the cursor `C` of the next page (null: the file ends here). */
export interface FilePage<C = number> {
  content: string;
  rows: number;
  next: C | null;
}

/** How a download began: its bytes, or how its first page failed (then nothing has been sent). */
export type Download = { kind: "ok"; body: ReadableStream<Uint8Array> } | Failed;

/**
 * A file the host sends in pages, as one byte stream, holding one page at a time. `page(before)`
 * asks for the page after the cursor `before` (undefined: the first). The first page is asked for
 * before answering, so its failure is an outcome the route answers with a status. Each later page
 * is asked for only when the stream's reader wants more (`pull`, high-water mark 0): a slow reader
 * slows the pages, one that goes away stops them. A later page that fails errors the stream, so
 * the download breaks rather than ending short as if it were whole.
 */
export async function pagedDownload<C>(page: (before: C | undefined) => Promise<{ kind: "ok"; result: FilePage<C> } | Failed>): Promise<Download> {
  const first = await page(undefined);
  if (first.kind !== "ok") return first;
  const encoder = new TextEncoder();
  /** The page in hand, not yet given to the reader. */
  let held: FilePage<C> | null = first.result;
  /** Where the page after the last one given starts. */
  let after: C | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (held === null) {
          const o = await page(after);
          // Thrown here, it errors the stream: the reader sees a broken download, not a short one.
          if (o.kind !== "ok") throw new Error(`the host stopped answering the download (${o.kind}): ${o.message}`);
          held = o.result;
        }
        const { content, next } = held;
        held = null;
        if (content) controller.enqueue(encoder.encode(content));
        if (next === null) controller.close();
        else after = next;
      },
    },
    { highWaterMark: 0 },
  );
  return { kind: "ok", body };
}

/**
 * history.export as one download (see pagedDownload): `run` runs one page's op; each page carries
 * the cursor of the one before and how many rows the export's `limit` still allows.
 */
export function historyDownload(
  run: (args: OpArgs<"history.export">) => Promise<Outcome<"history.export">>,
  args: OpArgs<"history.export">,
): Promise<Download> {
  let left = args.limit;
  return pagedDownload<HistoryCursor>(async (before) => {
    const outcome = await run({ ...args, ...(before === undefined ? {} : { before }), ...(left === undefined ? {} : { limit: left }) });
    if (outcome.kind === "ok" && left !== undefined) left -= outcome.result.rows;
    return outcome;
  });
}
