import { z } from "zod";
import { appName, processType } from "../names.js";
import { appOnly, commandOutput, read } from "./spec.js";

/** An app's logs: the live tail, and the output of a failed deploy's containers. */

export const logsOps = {
  "logs.tail": read({
    access: { scope: "app", area: "logs" },
    args: z
      .object({
        app: appName,
        lines: z.number().int().min(1).max(10_000).default(100),
        process: processType.optional(),
        follow: z.boolean().default(true),
      })
      .strict(),
    /** The live lines go out as chunks; the result holds only the last lines (ANSI stripped). */
    result: z.object({ lines: z.array(z.string()), truncated: z.boolean() }),
    timeoutMs: 3_600_000,
    freshMs: 0,
    streams: true,
  }),
  "logs.failed": read({ access: { scope: "app", area: "logs" }, args: appOnly, result: commandOutput, timeoutMs: 60_000, freshMs: 0 }),
} as const;
