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
