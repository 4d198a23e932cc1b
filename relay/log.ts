import { pino } from "pino";

/** The relay's structured log (JSON lines on stdout; journald keeps them under systemd). */
export const log = pino({
  name: "docklight-relay",
  level: process.env.LOG_LEVEL ?? "info",
  redact: { paths: ["token", "*.token", "jws", "*.jws", "args.vars", "*.args.vars"], censor: "[redacted]" },
});
export type Log = typeof log;
