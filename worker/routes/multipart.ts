import { Buffer } from "node:buffer";

/** A part's headers, as far as a form's fields need them. */
export interface PartHead {
  name: string;
  filename: string | null;
}

/** The boundary of a `multipart/form-data` Content-Type (RFC 7578), or null when it is not one. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * A `multipart/form-data` body read part by part as it arrives, never whole (RFC 7578): a file part
 * streams (`body`) holding at most one read chunk and a delimiter's length, so a large upload costs
 * what one chunk does. Parts come in the form's order: `next` moves to the next part's headers (null
 * after the last), then its body is read with `text` (a small field) or `body` (a file), before the
 * next `next`. A body that does not follow the format throws.
 */
export class MultipartReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly delimiter: Buffer;
  private buf = Buffer.alloc(0);
  private done = false;
  /** The current part's body has been read to its end (its delimiter consumed). */
  private partEnded = true;
  private last = false;
  /** The preamble and first delimiter were read. */
  private started = false;

  constructor(body: ReadableStream<Uint8Array>, boundary: string) {
    this.reader = body.getReader();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** The next part's headers, or null when the body has no more parts. */
  async next(): Promise<PartHead | null> {
    if (!this.partEnded) throw new Error("the part before was not read");
    if (this.last) return null;
    if (this.buf.length === 0 && !this.started) {
      // the body starts with the delimiter without its CRLF
      this.buf = Buffer.from("\r\n");
      this.started = true;
      await this.skipTo(this.delimiter);
      if (!(await this.afterDelimiter())) return null;
    }
    const end = await this.find(Buffer.from("\r\n\r\n"), 16 * 1024);
    if (end < 0) throw new Error("a part's headers do not end");
    const head = this.buf.subarray(0, end).toString("utf8");
    this.buf = this.buf.subarray(end + 4);
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(head)?.[1];
    const name = disposition ? /\bname="([^"]*)"/i.exec(disposition)?.[1] : undefined;
    if (name === undefined) throw new Error("a part has no form-data name");
    this.partEnded = false;
    return { name, filename: /\bfilename="([^"]*)"/i.exec(disposition!)?.[1] ?? null };
  }

  /** The current part's body as text, refused past `max` bytes. */
  async text(max: number): Promise<string> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const piece of this.pieces()) {
      n += piece.length;
      if (n > max) throw new Error(`a field is longer than ${max} bytes`);
      parts.push(piece);
    }
    return Buffer.concat(parts).toString("utf8");
  }

  /** The current part's body as a stream, read as its reader asks (pull). */
  body(): ReadableStream<Uint8Array> {
    const it = this.pieces();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const r = await it.next();
          if (r.done) controller.close();
          else controller.enqueue(new Uint8Array(r.value));
        },
        cancel: async () => {
          await it.return(undefined);
          await this.reader.cancel();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Stop reading the body (what is left is not read). */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }

  /** The current part's body in pieces, up to its delimiter (consumed, with what follows it). */
  private async *pieces(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield Buffer.from(this.buf.subarray(0, at));
        this.buf = this.buf.subarray(at + this.delimiter.length);
        this.partEnded = true;
        await this.afterDelimiter();
        return;
      }
      // all but what could be the start of a delimiter cut between two reads
      const safe = this.buf.length - (this.delimiter.length - 1);
      if (safe > 0) {
        const piece = Buffer.from(this.buf.subarray(0, safe));
        this.buf = this.buf.subarray(safe);
        yield piece;
      }
      if (!(await this.fill())) throw new Error("the body ended inside a part");
    }
  }

  /** After a delimiter: `--` ends the body, CRLF starts the next part. False at the end. */
  private async afterDelimiter(): Promise<boolean> {
    while (this.buf.length < 2) if (!(await this.fill())) throw new Error("the body ended after a delimiter");
    const two = this.buf.subarray(0, 2).toString("latin1");
    this.buf = this.buf.subarray(2);
    if (two === "--") {
      this.last = true;
      return false;
    }
    if (two !== "\r\n") throw new Error("a delimiter is not followed by CRLF or --");
    return true;
  }

  /** Drop everything up to and including `needle` (the preamble before the first delimiter). */
  private async skipTo(needle: Buffer): Promise<void> {
    for (;;) {
      const at = this.buf.indexOf(needle);
      if (at >= 0) {
        this.buf = this.buf.subarray(at + needle.length);
        return;
      }
      if (this.buf.length > 64 * 1024) throw new Error("no delimiter in the body's first 64 KiB");
      if (!(await this.fill())) throw new Error("the body has no delimiter");
    }
  }

  /** Where `needle` starts in the buffer, reading more as needed but no further than `max` bytes; -1 if not there. */
  private async find(needle: Buffer, max: number): Promise<number> {
    for (;;) {
      const at = this.buf.indexOf(needle);
      if (at >= 0) return at;
      if (this.buf.length > max || !(await this.fill())) return -1;
    }
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.reader.read();
    if (r.done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.length === 0 ? Buffer.from(r.value) : Buffer.concat([this.buf, r.value]);
    return true;
  }
}
