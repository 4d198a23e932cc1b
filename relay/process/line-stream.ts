/**
 * Re-cuts a child's output into whole lines before it leaves the relay, so a filter (redaction of
 * secrets, ANSI stripping) always sees a complete line: a database URL split across two pipe reads
 * is masked like any other. What is left without a newline goes out when the command ends.
 */
export class LineStream {
  private pending = "";

  constructor(
    private readonly emit: (text: string) => void,
    private readonly filter: (text: string) => string = (t) => t,
    /** A line longer than this is sent in pieces rather than held without bound. */
    private readonly maxPending = 64 * 1024,
  ) {}

  push(data: string): void {
    this.pending += data;
    const cut = this.pending.lastIndexOf("\n");
    if (cut >= 0) {
      const whole = this.pending.slice(0, cut + 1);
      this.pending = this.pending.slice(cut + 1);
      this.emit(this.filter(whole));
    }
    if (this.pending.length > this.maxPending) this.flush();
  }

  flush(): void {
    if (!this.pending) return;
    const rest = this.pending;
    this.pending = "";
    this.emit(this.filter(rest));
  }
}

/** Lines a live read keeps while the link is busy: what the logs page shows. */
export const BURST_MAX_LINES = 2_000;
/** Characters a live read keeps while the link is busy, whatever the lines' length. */
export const BURST_MAX_CHARS = 1024 * 1024;
/** The link is busy while more than this many bytes wait in its send buffer. */
export const LINK_HIGH_WATER = 256 * 1024;
/**
 * Characters of output per chunk frame. Small enough that the frame's JSON stays in V8's young
 * generation (a string over 128 KiB goes straight to the old one, and a burst of those piled up
 * as garbage there until a full collection).
 */
const CHUNK_CHARS = 32 * 1024;
/** A live read sends at most one batch this often (ms): the page cannot show more than BURST_MAX_LINES of it anyway. */
export const MIN_SEND_INTERVAL_MS = 50;

interface Piece {
  stream: "stdout" | "stderr";
  text: string;
  lines: number;
}

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n + (text.endsWith("\n") ? 0 : 1);
};

/**
 * A live read's output on its way to the edge: output goes out as it comes, but at most one batch
 * every MIN_SEND_INTERVAL_MS, and none while the link is busy (more than LINK_HIGH_WATER bytes wait
 * to be sent). Meanwhile only the newest BURST_MAX_LINES lines (at most BURST_MAX_CHARS) wait
 * here; older ones are dropped and counted, and the count goes with the next chunk (`skipped`), so
 * a burst costs what a page shows, not what the host printed. Input comes in whole lines (a
 * LineStream's output).
 */
export class LatestLines {
  private pieces: Piece[] = [];
  private lines = 0;
  private chars = 0;
  private skipped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (stream: "stdout" | "stderr", data: string, skipped: number) => void,
    /** Bytes waiting in the link's send buffer. */
    private readonly backlog: () => number = () => 0,
    /** Applied to each kept piece as it is sent (rendering, redaction): never to lines dropped. */
    private readonly filter: (text: string) => string = (t) => t,
    private readonly maxLines = BURST_MAX_LINES,
    private readonly maxChars = BURST_MAX_CHARS,
    private readonly retryMs = 20,
    private readonly minIntervalMs = MIN_SEND_INTERVAL_MS,
  ) {}

  private lastSent = -Infinity;

  push(stream: "stdout" | "stderr", text: string): void {
    if (!text) return;
    const piece = { stream, text, lines: countLines(text) };
    this.pieces.push(piece);
    this.lines += piece.lines;
    this.chars += text.length;
    this.trim();
    this.pump();
  }

  /** Send everything kept now, busy link or not (the command ended). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let skipped = this.skipped;
    if (this.pieces.length > 0 || skipped > 0) this.lastSent = performance.now();
    for (const p of this.pieces) p.text = this.filter(p.text);
    for (const run of this.runs()) {
      this.send(run.stream, run.text, skipped);
      skipped = 0;
    }
    if (skipped > 0) this.send("stdout", "", skipped);
    this.pieces = [];
    this.lines = this.chars = this.skipped = 0;
  }

  private pump(): void {
    if (this.timer) return;
    const wait = this.lastSent + this.minIntervalMs - performance.now();
    if (wait <= 0 && this.backlog() <= LINK_HIGH_WATER) return this.flush();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.pieces.length > 0 || this.skipped > 0) this.pump();
      },
      Math.max(wait, this.retryMs),
    );
  }

  /** Drop the oldest lines past the bounds, counting them. */
  private trim(): void {
    while (this.pieces.length > 1 && (this.lines - this.pieces[0]!.lines >= this.maxLines || this.chars > this.maxChars)) {
      const first = this.pieces.shift()!;
      this.lines -= first.lines;
      this.chars -= first.text.length;
      this.skipped += first.lines;
    }
    const first = this.pieces[0];
    if (!first || (this.lines <= this.maxLines && this.chars <= this.maxChars)) return;
    // Cut whole lines off the front of the one piece left, then characters if a line alone is too long.
    const over = this.lines - this.maxLines;
    let at = 0;
    for (let n = 0; n < over && at >= 0; n++) at = first.text.indexOf("\n", at) + 1 || -1;
    let rest = at > 0 ? first.text.slice(at) : first.text;
    if (rest.length > this.maxChars) rest = rest.slice(rest.length - this.maxChars);
    const dropped = first.lines - countLines(rest);
    this.skipped += dropped;
    this.lines -= dropped;
    this.chars -= first.text.length - rest.length;
    first.text = rest;
    first.lines -= dropped;
  }

  /** The kept output as runs of one stream, each at most CHUNK_CHARS characters. */
  private *runs(): Generator<{ stream: "stdout" | "stderr"; text: string }> {
    let stream: "stdout" | "stderr" | null = null;
    let parts: string[] = [];
    let size = 0;
    for (const p of this.pieces) {
      if (stream !== null && (p.stream !== stream || size + p.text.length > CHUNK_CHARS) && size > 0) {
        yield { stream, text: parts.join("") };
        parts = [];
        size = 0;
      }
      stream = p.stream;
      for (let i = 0; i < p.text.length; i += CHUNK_CHARS) {
        const part = p.text.slice(i, i + CHUNK_CHARS);
        if (size + part.length > CHUNK_CHARS && size > 0) {
          yield { stream, text: parts.join("") };
          parts = [];
          size = 0;
        }
        parts.push(part);
        size += part.length;
      }
    }
    if (stream !== null && size > 0) yield { stream, text: parts.join("") };
  }
}
