import { z } from "zod";
import { FRESH_MS, noArgs, read } from "./spec.js";

/** The Dokku plugins installed on the host. */

export const pluginInfo = z.object({ name: z.string(), version: z.string(), enabled: z.boolean(), description: z.string() });

export const pluginsOps = {
  "plugins.list": read({
    args: noArgs,
    result: z.object({ plugins: z.array(pluginInfo) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
} as const;
