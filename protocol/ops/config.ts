import { z } from "zod";
import { appName, envKey } from "../names.js";
import { appOnly, change, FRESH_MS, OP_LIMITS, PROCESS_STATE, read } from "./spec.js";

/** An app's environment (config vars). */

/** One config value: any text (spaces, quotes, $, newlines, NUL, unicode); sent base64-encoded as ONE argv element. */
const configValue = z.string().max(OP_LIMITS.configValueLength, "a config value is at most 32 KiB");

export const configOps = {
  "config.get": read({
    access: { scope: "app", area: "config", reveals: true },
    args: appOnly,
    /** Values go to the edge (to reveal one); they are never written to history. */
    result: z.object({ vars: z.record(z.string(), z.string()) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
    secret: true,
  }),
  "config.set": change({
    access: { scope: "app", area: "config" },
    title: "Set config vars of {app}",
    args: z
      .object({
        app: appName,
        vars: z
          .record(envKey, configValue)
          .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= OP_LIMITS.configVars, `give 1 to ${OP_LIMITS.configVars} variables`),
        noRestart: z.boolean().default(false),
      })
      .strict(),
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["config.get", ...PROCESS_STATE],
  }),
  "config.unset": change({
    access: { scope: "app", area: "config" },
    title: "Unset config vars of {app}",
    args: z.object({ app: appName, keys: z.array(envKey).min(1).max(OP_LIMITS.configVars), noRestart: z.boolean().default(false) }).strict(),
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["config.get", ...PROCESS_STATE],
  }),
} as const;
