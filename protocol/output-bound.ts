/**
 * How much of a command's output travels where. A command's output streams to its viewers as it
 * comes and is kept in history; its result frame carries only a bounded part of it, so how much a
 * command prints never changes how it ends (a frame over MAX_FRAME_BYTES is refused by the edge).
 */

/** Most characters of a command's output a result carries: its newest ones, after a marker. */
export const RESULT_OUTPUT_CHARS = 64 * 1024;
/** Most characters of Dokku's exit-0 warning (or an error's message) a result carries. */
export const RESULT_WARNING_CHARS = 8 * 1024;

/** The line that stands where `n` characters of output were dropped. */
export function droppedMarker(n: number): string {
  return `[… ${n.toLocaleString("en-US")} characters not kept …]`;
}

/**
 * `text` if it has at most `max` characters, else its newest `max` characters after a
 * droppedMarker line (the end of a command's output says how it ended). The result has at most
 * `max` + 64 characters.
 */
export function keepNewest(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${droppedMarker(text.length - max)}\n${text.slice(text.length - max)}`;
}
