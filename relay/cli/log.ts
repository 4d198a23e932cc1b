import { pino } from "pino";

/** syslog priority (sd-daemon(3) `<N>` prefix) for each pino level: trace and debug 7, info 6, warn 4, error 3, fatal 2. */
export function journalPriority(level: number): number {
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
}

/** Prefix one pino JSON line with its `<N>` priority, which journald reads (SyslogLevelPrefix=, on by default). */
export function withJournalPriority(line: string): string {
  const level = line.match(/^\{"level":(\d+)/)?.[1];
  return level ? `<${journalPriority(Number(level))}>${line}` : line;
}

/**
 * The relay's structured log: JSON lines on stdout. Under systemd (JOURNAL_STREAM is set when
 * stdout is the journal) each line starts with its syslog priority, so `journalctl -p warning`
 * works, and leaves out time, pid and hostname, which journald records itself.
 */
/** Op arguments that hold secrets, never logged. */
const SECRET_ARGS = ["vars", "key", "password", "passphrase", "secret"];

function makeLog(env: NodeJS.ProcessEnv = process.env) {
  const journal = Boolean(env.JOURNAL_STREAM);
  return pino({
    name: "docklight-relay",
    level: env.LOG_LEVEL ?? "info",
    // op arguments that are secrets: config values, a certificate's key, registry and backup credentials
    redact: { paths: ["token", "*.token", "jws", "*.jws", ...SECRET_ARGS.flatMap((k) => [`args.${k}`, `*.args.${k}`])], censor: "[redacted]" },
    ...(journal ? { base: undefined, timestamp: false, hooks: { streamWrite: withJournalPriority } } : {}),
  });
}

export const log = makeLog();
export type Log = typeof log;
