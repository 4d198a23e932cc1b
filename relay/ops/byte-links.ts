import { Readable, Writable } from "node:stream";
import { BYTES_FRAME_MAX, BYTES_STALL_MS, BYTES_WINDOW, type BytesFrame, type CreditFrame } from "../../protocol/byte-frames.js";

/** How a byte link sends its frames: false when the link to the edge is down (the frame is lost). */
export type SendByteFrame = (frame: BytesFrame | CreditFrame) => boolean;

/**
 * The op's bytes to the edge (an export's dump) as a Writable: each write goes out as `bytes` frames
 * of at most BYTES_FRAME_MAX, never past the credit the edge gave (BYTES_WINDOW to start with). A
 * write waits for credit, which holds back whoever writes (a pipe from the program's stdout holds
 * the program). It fails when the link is down or no credit came for `stallMs`.
 */
class ByteSender extends Writable {
  private sent = 0;
  private upTo = BYTES_WINDOW;
  private held: { rest: Buffer; done: (e?: Error | null) => void } | null = null;
  private stall: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: string,
    private readonly send: SendByteFrame,
    private readonly stallMs: number,
    private readonly onEnd: () => void,
  ) {
    super({ highWaterMark: BYTES_FRAME_MAX });
  }

  /** Bytes sent so far. */
  get bytes(): number {
    return this.sent;
  }

  credit(upTo: number): void {
    if (upTo <= this.upTo) return;
    this.upTo = upTo;
    this.pump();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.held = { rest: chunk, done };
    this.pump();
  }

  override _final(done: (e?: Error | null) => void): void {
    // an empty frame that ends the stream is not needed: the op's result says how many bytes it had
    this.onEnd();
    done();
  }

  override _destroy(e: Error | null, done: (e?: Error | null) => void): void {
    clearTimeout(this.stall);
    this.onEnd();
    done(e);
  }

  private pump(): void {
    const h = this.held;
    if (!h) return;
    clearTimeout(this.stall);
    while (h.rest.length > 0 && this.sent < this.upTo) {
      const n = Math.min(h.rest.length, BYTES_FRAME_MAX, this.upTo - this.sent);
      if (!this.send({ type: "bytes", id: this.id, at: this.sent, data: h.rest.subarray(0, n).toString("base64") })) {
        this.held = null;
        return h.done(new Error("the link to the edge dropped while the dump was sent"));
      }
      this.sent += n;
      h.rest = h.rest.subarray(n);
    }
    if (h.rest.length === 0) {
      this.held = null;
      return h.done();
    }
    this.stall = setTimeout(() => {
      this.held = null;
      h.done(new Error(`the download stalled: its reader took nothing for ${Math.round(this.stallMs / 1000)} s`));
    }, this.stallMs);
  }
}

/**
 * The op's bytes from the edge (an import's dump), read as a stream. It grants BYTES_WINDOW at once
 * (the edge sends nothing before), then, as its reader takes each piece, credit up to BYTES_WINDOW
 * past what the reader took: it never holds more than that. Bytes out of order, past `max`, past
 * the credit, or none for `stallMs` while it waits fail the stream; a `bytes` frame with `end` ends it.
 */
class ByteReceiver {
  private received = 0;
  private taken = 0;
  private granted = 0;
  private ended = false;
  private failed: Error | null = null;
  private readonly queue: Buffer[] = [];
  private wake: (() => void) | null = null;
  private stall: NodeJS.Timeout | undefined;
  readonly stream: Readable & { readonly bytes: number };

  constructor(
    private readonly id: string,
    private readonly send: SendByteFrame,
    private readonly max: number,
    private readonly stallMs: number,
    private readonly onEnd: () => void,
  ) {
    const self = this;
    const stream = Readable.from(this.pieces(), { objectMode: false, highWaterMark: 64 * 1024 });
    this.stream = Object.defineProperty(stream, "bytes", { get: () => self.received }) as Readable & { readonly bytes: number };
    // a reader that stopped (or never started) ends the stream here: a piece it awaits is not waited for
    stream.once("close", () => {
      this.fail(new Error("the upload's reader stopped"));
      this.onEnd();
    });
    this.grant();
  }

  accept(frame: BytesFrame): void {
    if (this.failed || this.ended) return;
    if (frame.at !== this.received) return this.fail(new Error(`the upload's bytes came out of order (at ${frame.at}, expected ${this.received})`));
    const data = Buffer.from(frame.data, "base64");
    this.received += data.length;
    if (this.received > this.max) return this.fail(new Error(`the upload passed the ${this.max} bytes an import takes`));
    if (this.received > this.granted) return this.fail(new Error("the edge sent past the credit it was given"));
    clearTimeout(this.stall);
    if (data.length > 0) this.queue.push(data);
    if (frame.end) this.ended = true;
    // waiting on the edge only while it may send: a reader that is slow to take is not a stall
    else if (this.received < this.granted) this.watch();
    this.wake?.();
  }

  private async *pieces(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        if (this.failed) throw this.failed;
        const next = this.queue.shift();
        if (next) {
          this.taken += next.length;
          this.grant();
          yield next;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      clearTimeout(this.stall);
    }
  }

  private fail(e: Error): void {
    clearTimeout(this.stall);
    this.failed ??= e;
    this.wake?.();
  }

  /** Let the edge send up to BYTES_WINDOW past what the reader took. */
  private grant(): void {
    const upTo = this.taken + BYTES_WINDOW;
    if (upTo <= this.granted || this.ended) return;
    this.granted = upTo;
    if (!this.send({ type: "credit", id: this.id, upTo })) return this.fail(new Error("the link to the edge dropped while the dump was uploaded"));
    this.watch();
  }

  private watch(): void {
    clearTimeout(this.stall);
    this.stall = setTimeout(() => this.fail(new Error(`the upload stalled: no bytes for ${Math.round(this.stallMs / 1000)} s`)), this.stallMs);
    this.stall.unref();
  }
}

/**
 * The byte streams of the ops running on this relay, by op id: the edge's `credit` and `bytes`
 * frames are routed here (relay/cli/serve.ts). A frame for an op with no open stream is dropped.
 */
export class ByteLinks {
  private readonly senders = new Map<string, ByteSender>();
  private readonly receivers = new Map<string, ByteReceiver>();

  constructor(
    private readonly send: SendByteFrame,
    private readonly stallMs = BYTES_STALL_MS,
  ) {}

  /** A stream of op `id`'s bytes to the edge (see ByteSender); `bytes` on it counts what was sent. */
  sender(id: string): Writable & { readonly bytes: number } {
    const s = new ByteSender(id, this.send, this.stallMs, () => this.senders.delete(id));
    this.senders.set(id, s);
    return s;
  }

  /** A stream of op `id`'s bytes from the edge, at most `max` of them (see ByteReceiver). */
  receiver(id: string, max: number): Readable & { readonly bytes: number } {
    const r = new ByteReceiver(id, this.send, max, this.stallMs, () => this.receivers.delete(id));
    this.receivers.set(id, r);
    return r.stream;
  }

  credit(frame: CreditFrame): void {
    this.senders.get(frame.id)?.credit(frame.upTo);
  }

  bytes(frame: BytesFrame): void {
    this.receivers.get(frame.id)?.accept(frame);
  }

  /** Streams open now (for tests: none is left behind once its op ended). */
  get open(): number {
    return this.senders.size + this.receivers.size;
  }
}
