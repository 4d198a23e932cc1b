import { BYTES_WINDOW, type BytesFrame } from "../../protocol/byte-frames.js";
import type { Download } from "./download.js";
import type { Outcome } from "./outcome.js";

/** base64 to bytes (atob: the Workers runtime has it; a bad frame throws). */
export function fromBase64(data: string): Uint8Array {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** One export on its way from the relay to a browser. */
class Incoming {
  private readonly queue: Uint8Array[] = [];
  private received = 0;
  private delivered = 0;
  private outcome: Outcome<"databases.export"> | null = null;
  private broken: string | null = null;
  private wake: (() => void) | null = null;
  private begun: ((o: Download) => void) | null = null;
  /** How the download begins: its bytes once the first came (or the export ended well), or how the export failed before any. */
  readonly begins: Promise<Download>;
  readonly body: ReadableStream<Uint8Array>;

  constructor(
    /** Let the relay send up to `upTo` bytes. */
    private readonly credit: (upTo: number) => void,
    /** The reader left: stop the export. */
    private readonly stop: () => void,
  ) {
    this.begins = new Promise((resolve) => (this.begun = resolve));
    this.body = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          for (;;) {
            const next = this.queue.shift();
            if (next) {
              controller.enqueue(next);
              this.delivered += next.length;
              // the relay may go one window past what the reader took: the hub holds no more
              this.credit(this.delivered + BYTES_WINDOW);
              return;
            }
            if (this.broken) throw new Error(this.broken);
            const o = this.outcome;
            if (o?.kind === "ok") {
              if (o.result.bytes !== this.received) throw new Error(`the export was ${o.result.bytes} bytes, ${this.received} came`);
              return controller.close();
            }
            // thrown, it errors the stream: the browser sees a broken download, not a short one
            if (o) throw new Error(`the export failed (${o.kind}): ${o.message}`);
            await new Promise<void>((resolve) => (this.wake = resolve));
            this.wake = null;
          }
        },
        cancel: () => {
          if (!this.outcome) this.stop();
        },
      },
      { highWaterMark: 0 },
    );
  }

  take(frame: BytesFrame): void {
    if (this.broken || this.outcome) return;
    try {
      if (frame.at !== this.received) throw new Error(`the export's bytes came out of order (at ${frame.at}, expected ${this.received})`);
      const data = fromBase64(frame.data);
      this.received += data.length;
      if (this.received > this.delivered + BYTES_WINDOW) throw new Error("the relay sent past the credit it was given");
      this.queue.push(data);
    } catch (e) {
      this.broken = (e as Error).message;
      this.stop();
    }
    this.begun?.({ kind: "ok", body: this.body });
    this.wake?.();
  }

  end(o: Outcome<"databases.export">): void {
    this.outcome = o;
    // a failure before any byte is the route's answer; after, it breaks the download
    this.begun?.(o.kind === "ok" || this.received > 0 ? { kind: "ok", body: this.body } : o);
    this.wake?.();
  }
}

/**
 * The database exports a HostHub is passing from its relay to browsers, by op id: the relay's
 * `bytes` frames are queued until the browser's download takes them, and each piece taken gives the
 * relay credit for one more (BYTES_WINDOW past what the browser took), so the hub holds at most
 * BYTES_WINDOW of a dump whatever its size or the browser's speed. The dump never goes anywhere else.
 */
export class DumpDownloads {
  private readonly open = new Map<string, Incoming>();

  /** Start taking op `id`'s bytes; `begins` resolves as the download should be answered. */
  start(id: string, credit: (upTo: number) => void, stop: () => void): Incoming {
    const d = new Incoming(credit, stop);
    this.open.set(id, d);
    return d;
  }

  bytes(frame: BytesFrame): void {
    this.open.get(frame.id)?.take(frame);
  }

  /** Op `id` ended: its last bytes came before its result. */
  end(id: string, o: Outcome<"databases.export">): void {
    this.open.get(id)?.end(o);
    this.open.delete(id);
  }
}
