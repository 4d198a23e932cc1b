/**
 * The edge's log lines: one JSON object per line (`level`, `msg`, then the fields), which Workers
 * Logs and `wrangler tail` index by field. Never pass a secret: config values, tokens and
 * passwords stay out of logs (as out of history and pages).
 */
type Fields = Record<string, unknown>;

/** An error as a log field: `Name: message` (no stack: a stack is not needed to tell what failed). */
export function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function line(level: "info" | "warn" | "error", msg: string, fields: Fields): string {
  return JSON.stringify({ level, msg, ...fields });
}

export const log = {
  info: (msg: string, fields: Fields = {}) => console.log(line("info", msg, fields)),
  warn: (msg: string, fields: Fields = {}) => console.warn(line("warn", msg, fields)),
  error: (msg: string, fields: Fields = {}) => console.error(line("error", msg, fields)),
};
