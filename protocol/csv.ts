/**
 * One CSV cell, as both halves export them (the relay's history export, the edge's Activity
 * export): formula-safe (a cell starting with = + - @ tab or CR gets a leading ' so a spreadsheet
 * shows it as text, OWASP's "CSV injection" advice) and quoted per RFC 4180 (a comma, quote, CR or
 * LF, or leading/trailing space, and the cell is quoted with its quotes doubled). Arrays are joined
 * with spaces; null and undefined are empty.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record of `cells`, CRLF-terminated (RFC 4180). */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
