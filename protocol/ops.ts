import { z } from "zod";
import { appName } from "./names.js";

/**
 * The op contract shared by edge and relay: for each op, its arguments, its result, whether it
 * changes the host and how long it may run. The relay's catalog (relay/catalog) turns each op into
 * an argv and parses what Dokku printed; the edge only ever names an op and its arguments.
 */

const runningState = z.enum(["true", "false", "mixed"]);

export const appSummary = z.object({
  name: appName,
  deployed: z.boolean(),
  running: runningState,
  processes: z.number().int().min(0),
});
export type AppSummary = z.infer<typeof appSummary>;

/** What a command that changes something printed, for the page to show as text. */
export const commandOutput = z.object({
  output: z.string(),
  /** Dokku warned on stderr while exiting 0, e.g. "App x has not been deployed". */
  warning: z.string().optional(),
});
export type CommandOutput = z.infer<typeof commandOutput>;

export const historyEntry = z.object({
  id: z.number().int(),
  opId: z.string(),
  op: z.string(),
  argv: z.array(z.string()),
  exitCode: z.number().int().nullable(),
  outcome: z.enum(["ok", "error", "timeout", "killed"]),
  durationMs: z.number().int().min(0),
  requestedBy: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const ops = {
  "apps.list": {
    args: z.object({}).strict(),
    result: z.object({ apps: z.array(appSummary) }),
    mutates: false,
    timeoutMs: 30_000,
  },
  "apps.restart": {
    args: z.object({ app: appName }).strict(),
    result: commandOutput,
    mutates: true,
    timeoutMs: 300_000,
  },
  "history.list": {
    args: z
      .object({
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    result: z.object({ entries: z.array(historyEntry), total: z.number().int() }),
    mutates: false,
    timeoutMs: 10_000,
  },
} as const;

export type OpName = keyof typeof ops;
export const opNames = Object.keys(ops) as OpName[];
export const opName = z.enum(opNames as [OpName, ...OpName[]]);

export type OpArgs<N extends OpName> = z.input<(typeof ops)[N]["args"]>;
export type OpParsedArgs<N extends OpName> = z.output<(typeof ops)[N]["args"]>;
export type OpResult<N extends OpName> = z.infer<(typeof ops)[N]["result"]>;
