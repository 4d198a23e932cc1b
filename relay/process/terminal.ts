import stripAnsi from "strip-ansi";

/**
 * Turns a command's raw output into the text a person would read on a terminal, for every stream
 * (op output, logs) and for history:
 *
 * - escape sequences are removed (colours, cursor moves, titles: strip-ansi's grammar), except
 *   the few that change what a line shows: `ESC[G`/`ESC[1G` (cursor to column 1, as Dokku's
 *   `dokku_log_*` helpers and docker's progress bars print), `ESC[nG`, `ESC[K` (erase to end of line)
 *   and `ESC[2K` (erase the line);
 * - a carriage return moves back to the start of the line and what follows overwrites it, as a
 *   terminal does (docker pull progress: `10%\r20%\r` reads `20%`); `\r\n` is a plain line end;
 * - a backspace moves one column back.
 *
 * Input: any text (UTF-16 string). Output: text holding only `\n` line ends, no C0 controls but `\t`.
 * Works on whole lines: feed it text cut at `\n` (relay/process/line-stream.ts does) so a line's rewrites
 * are applied together.
 */
export function renderTerminal(text: string): string {
  if (!/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/.test(text)) return text;
  return text.split("\n").map(renderLine).join("\n");
}

// Cursor controls kept as private markers while strip-ansi removes every other sequence.
const TO_COLUMN = "\u0001"; // followed by the 1-based column and ";"
const ERASE_TO_END = "\u0002";
const ERASE_LINE = "\u0003";

/** CSI n G (cursor to column n) and CSI [0|2] K (erase) become markers; other CSI K forms drop. */
function markCursorControls(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/(?:\u001b\[|\u009b)(\d*)([GK])/g, (_m, n: string, final: string) => {
    if (final === "G") return `${TO_COLUMN}${Math.max(1, Number(n || "1"))};`;
    return n === "2" ? ERASE_LINE : n === "" || n === "0" ? ERASE_TO_END : "";
  });
}

// One token: a column marker with its number, or one code point.
// eslint-disable-next-line no-control-regex
const TOKEN = /\u0001(\d+);|[\s\S]/gu;

// A control left once the escape sequences are gone (a marker, \r, \b, another C0 or C1 control;
// not \t): only a line holding one needs the cell-by-cell pass. Most lines are plain or only
// coloured (every `dokku logs` line is), and the pass allocates for each character.
// eslint-disable-next-line no-control-regex
const NEEDS_CELLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** One line (no `\n`) as a terminal would leave it. */
function renderLine(raw: string): string {
  const line = stripAnsi(markCursorControls(raw.endsWith("\r") ? raw.slice(0, -1) : raw));
  if (!NEEDS_CELLS.test(line)) return line;
  const cells: string[] = [];
  let col = 0;
  for (const [token, column] of line.matchAll(TOKEN)) {
    if (column !== undefined) col = Number(column) - 1;
    else if (token === "\r") col = 0;
    else if (token === "\b") col = Math.max(0, col - 1);
    else if (token === ERASE_TO_END) cells.length = Math.min(cells.length, col);
    else if (token === ERASE_LINE) cells.length = 0;
    else if (token === "\t" || !/^[\u0000-\u001f\u007f-\u009f]$/.test(token)) {
      while (cells.length < col) cells.push(" ");
      cells[col++] = token;
    }
  }
  return cells.join("");
}
