import { z } from "zod";
import { ALERT_LIMITS } from "./conditions.js";

/**
 * The alert checks' limits from the edge's vars (wrangler.toml `[vars]` or `wrangler secret put`;
 * README, "Alerts"): each unset one keeps its default (ALERT_LIMITS), each set one must be a number
 * in its range, or the edge refuses to serve saying which (as for any other bad setting).
 * - ALERT_OFFLINE_MINUTES: how long a relay may be disconnected (0–1440, decimals allowed);
 * - ALERT_CERT_DAYS: a certificate expiring within this many days alerts (0–365);
 * - ALERT_DISK_PERCENT, ALERT_MEMORY_PERCENT: use at or above this (1–100)…
 * - ALERT_SUSTAIN_MINUTES: …in every health sample for this long (0–1440, decimals allowed).
 */

const number = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === "") return fallback;
      const n = Number(s);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a number from ${min} to ${max} (default ${fallback})` });
        return z.NEVER;
      }
      return n;
    });

/** The vars' schema; its output is an AlertLimits. */
export const alertLimitsConfig = z.object({
  offlineMinutes: number("ALERT_OFFLINE_MINUTES", 0, 1440, ALERT_LIMITS.offlineMinutes),
  certDays: number("ALERT_CERT_DAYS", 0, 365, ALERT_LIMITS.certDays),
  diskPercent: number("ALERT_DISK_PERCENT", 1, 100, ALERT_LIMITS.diskPercent),
  memoryPercent: number("ALERT_MEMORY_PERCENT", 1, 100, ALERT_LIMITS.memoryPercent),
  sustainMinutes: number("ALERT_SUSTAIN_MINUTES", 0, 1440, ALERT_LIMITS.sustainMinutes),
});

/** The vars alertLimitsConfig reads (the edge's Env has them all, each optional). */
export type AlertLimitVars = Partial<
  Record<"ALERT_OFFLINE_MINUTES" | "ALERT_CERT_DAYS" | "ALERT_DISK_PERCENT" | "ALERT_MEMORY_PERCENT" | "ALERT_SUSTAIN_MINUTES", string>
>;

/** alertLimitsConfig's input from the edge's vars. */
export function alertLimitsInput(env: AlertLimitVars): z.input<typeof alertLimitsConfig> {
  return {
    offlineMinutes: env.ALERT_OFFLINE_MINUTES,
    certDays: env.ALERT_CERT_DAYS,
    diskPercent: env.ALERT_DISK_PERCENT,
    memoryPercent: env.ALERT_MEMORY_PERCENT,
    sustainMinutes: env.ALERT_SUSTAIN_MINUTES,
  };
}
