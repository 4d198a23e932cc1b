import { z } from "zod";

/**
 * A byte stream between the edge and the relay for one op (a database dump: `databases.export`
 * sends one to the edge, `databases.import` takes one from it), over the same WebSocket as every
 * frame. Flow control is by credit: the receiver says how far the sender may go (`credit.upTo`, in
 * bytes from the stream's start) and the sender never passes it, so neither side ever holds more
 * than BYTES_WINDOW of a dump however large it is or however slow its reader. Only these frames
 * carry a dump's bytes; nothing logs them.
 */

/**
 * Most bytes of a stream one `bytes` frame carries (base64 in the frame: 4/3 as many characters).
 * Kept small enough that a frame's strings stay under V8's large-object size (128 KiB), so they die
 * young instead of piling up in the old generation until a full collection.
 */
export const BYTES_FRAME_MAX = 48 * 1024;

/**
 * How far ahead of what its reader took a receiver lets the sender go (bytes). An export's sender
 * starts with this much credit (the edge asked for the dump with the op); an import's sender (the
 * edge) waits for the relay's first credit, sent once the relay is ready to take the dump.
 */
export const BYTES_WINDOW = 1024 * 1024;

/** A sender that has had no credit this long (ms) with bytes to send gives up: its reader stalled or left. */
export const BYTES_STALL_MS = 120_000;

/**
 * The largest dump an import takes (bytes): below what Cloudflare lets a request body be on its
 * Free and Pro plans (100 MB), with room for the form around the file. The edge refuses a larger
 * upload before anything runs, and both halves stop one whose bytes pass it.
 */
export const DUMP_UPLOAD_MAX_BYTES = 90 * 1024 * 1024;

/** `data` is base64 of bytes `at`…`at + n` of op `id`'s stream; `end`: the stream ends after it. */
export const bytesFrame = z.object({
  type: z.literal("bytes"),
  id: z.string().uuid(),
  at: z.number().int().min(0),
  data: z.string().max(Math.ceil(BYTES_FRAME_MAX / 3) * 4),
  end: z.boolean().optional(),
});
export type BytesFrame = z.infer<typeof bytesFrame>;

/** The sender of op `id`'s stream may send bytes up to offset `upTo`. */
export const creditFrame = z.object({ type: z.literal("credit"), id: z.string().uuid(), upTo: z.number().int().min(0) });
export type CreditFrame = z.infer<typeof creditFrame>;
