import { z } from "zod";

/** Dokku's strict app-name rule (0.38.2+), valid on every version; capped at a DNS label. */
export const appName = z
  .string()
  .max(63, "app name is at most 63 characters")
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "app name must start with a lowercase letter or digit and hold only a-z, 0-9, '.' and '-'");

/** A host id names one Dokku host (one relay, one HostHub). It appears in URLs. */
export const hostId = z
  .string()
  .min(1)
  .max(32, "host id is at most 32 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "host id holds only a-z, 0-9 and '-', starting with a letter or digit");

export type AppName = z.infer<typeof appName>;
export type HostId = z.infer<typeof hostId>;
