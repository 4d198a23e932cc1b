import { z } from "zod";
import { jobInfo } from "../frames.js";
import { read } from "./spec.js";

/**
 * The changes running on the host now. A change is a job on the host: it runs to its end whoever
 * watches, one per app at a time (relay/ops/jobs.ts). Listing them runs no command.
 */
export const changesOps = {
  "changes.running": read({
    access: { scope: "host", area: "history" },
    args: z.object({}).strict(),
    result: z.object({ changes: z.array(jobInfo) }),
    timeoutMs: 5_000,
    freshMs: 0,
  }),
} as const;
