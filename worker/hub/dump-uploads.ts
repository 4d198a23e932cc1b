import { Buffer } from "node:buffer";
import { BYTES_FRAME_MAX, DUMP_UPLOAD_MAX_BYTES, type BytesFrame } from "../../protocol/byte-frames.js";

/** How sending an import's dump ended: all of it sent, or why not (the op is then stopped). */
export type UploadEnd = { kind: "sent"; bytes: number } | { kind: "too_large"; bytes: number } | { kind: "ended" } | { kind: "broken"; message: string };

/** One import's dump on its way from a browser to the relay. */
class Outgoing {
  private upTo = 0;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly id: string,
    private readonly send: (frame: BytesFrame) => boolean,
  ) {}

  credit(upTo: number): void {
    if (upTo > this.upTo) this.upTo = upTo;
    this.wake?.();
  }

  /** The op ended (the relay took what it wanted, or failed): nothing more is sent. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /**
   * Send `body` as `bytes` frames, each only within the relay's credit (none before its first),
   * the last one marked `end`; a body past DUMP_UPLOAD_MAX_BYTES is stopped there.
   */
  async pump(body: ReadableStream<Uint8Array>): Promise<UploadEnd> {
    const reader = body.getReader();
    let at = 0;
    try {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          return { kind: "broken", message: `the upload broke off: ${(e as Error).message}` };
        }
        if (r.done) {
          if (!(await this.room(at, true))) return { kind: "ended" };
          this.send({ type: "bytes", id: this.id, at, data: "", end: true });
          return { kind: "sent", bytes: at };
        }
        let chunk = Buffer.from(r.value);
        if (at + chunk.length > DUMP_UPLOAD_MAX_BYTES) return { kind: "too_large", bytes: at + chunk.length };
        while (chunk.length > 0) {
          if (!(await this.room(at))) return { kind: "ended" };
          const n = Math.min(chunk.length, BYTES_FRAME_MAX, this.upTo - at);
          if (!this.send({ type: "bytes", id: this.id, at, data: chunk.subarray(0, n).toString("base64") }))
            return { kind: "broken", message: "the host's relay went away during the upload" };
          at += n;
          chunk = chunk.subarray(n);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  /**
   * Wait until the relay lets a byte past `at` come, or (`end`) until it asked for any: the end
   * marker carries none, but a relay that has not asked yet has no stream to end. False once the op ended.
   */
  private async room(at: number, end = false): Promise<boolean> {
    while (!this.ended && (end ? this.upTo === 0 : this.upTo <= at)) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return !this.ended;
  }
}

/**
 * The database imports a HostHub is passing from browsers to its relay, by op id: the browser's
 * upload is read only as fast as the relay's `credit` frames allow (BYTES_WINDOW past what it
 * wrote to its file), so the hub holds one read of the upload at a time whatever its size.
 */
export class DumpUploads {
  private readonly open = new Map<string, Outgoing>();

  start(id: string, send: (frame: BytesFrame) => boolean): Outgoing {
    const u = new Outgoing(id, send);
    this.open.set(id, u);
    return u;
  }

  credit(id: string, upTo: number): void {
    this.open.get(id)?.credit(upTo);
  }

  end(id: string): void {
    this.open.get(id)?.end();
    this.open.delete(id);
  }
}
