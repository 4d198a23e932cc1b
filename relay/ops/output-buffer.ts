/** One piece of a running op's output, numbered by where it starts in the op's whole output. */
export interface OutputPiece {
  stream: "stdout" | "stderr";
  data: string;
  /** Offset (in UTF-16 code units) of `data`'s first character in the op's output so far. */
  seq: number;
}

/** The bounded output a running op keeps for viewers who attach late: 1 MiB of text. */
export const JOB_BUFFER_CHARS = 1024 * 1024;

/**
 * The output of one running op, as sent to viewers (already rendered and redacted), keeping only
 * the newest `cap` characters. Pieces are dropped whole from the front; `dropped` counts the
 * characters lost, so a viewer can say "the first N characters are no longer kept".
 */
export class OutputBuffer {
  private pieces: OutputPiece[] = [];
  private head = 0;
  private size = 0;
  /** Offset just past the last character appended (the next piece's seq). */
  end = 0;

  constructor(private readonly cap = JOB_BUFFER_CHARS) {}

  /** Append a piece; returns it with its seq. */
  append(stream: "stdout" | "stderr", data: string): OutputPiece {
    const piece = { stream, data, seq: this.end };
    this.end += data.length;
    this.pieces.push(piece);
    this.size += data.length;
    while (this.size > this.cap && this.pieces.length - this.head > 1) {
      this.size -= this.pieces[this.head]!.data.length;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.pieces.length) {
      this.pieces = this.pieces.slice(this.head);
      this.head = 0;
    }
    return piece;
  }

  /** Characters of the op's output no longer kept (they came first). */
  get dropped(): number {
    return this.head < this.pieces.length ? this.pieces[this.head]!.seq : this.end;
  }

  /** Characters kept (at most `cap`, unless one piece alone is longer). */
  get keptChars(): number {
    return this.size;
  }

  /** Every kept piece, oldest first. */
  kept(): OutputPiece[] {
    return this.pieces.slice(this.head);
  }
}
