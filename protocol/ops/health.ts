import { z } from "zod";
import { noArgs, read } from "./spec.js";

/** Whether the host and the link to it are well: server metrics, and a round trip through the relay. */

export const healthSample = z.object({
  at: z.number().int(),
  /** Percent of CPU time busy since the previous sample (null on the very first sample). */
  cpuPercent: z.number().min(0).max(100).nullable(),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number(), usedPercent: z.number().min(0).max(100) }),
  disks: z.array(z.object({ path: z.string(), totalBytes: z.number(), freeBytes: z.number(), usedPercent: z.number().min(0).max(100) })),
  load: z.tuple([z.number(), z.number(), z.number()]),
  uptimeSeconds: z.number(),
});
export type HealthSample = z.infer<typeof healthSample>;

export const healthOps = {
  "server.health": read({
    access: { scope: "host", area: "health" },
    args: noArgs,
    result: z.object({ now: healthSample, series: z.array(healthSample) }),
    timeoutMs: 10_000,
    freshMs: 0,
  }),
  /** Round trip through edge and relay without running anything: the link's latency. */
  "relay.ping": read({
    access: { scope: "host", area: "health" },
    args: noArgs,
    result: z.object({ relayTime: z.number().int() }),
    timeoutMs: 5_000,
    freshMs: 0,
  }),
} as const;
