import { z } from "zod";
import { appName, processType } from "../names.js";
import { appOnly, change, FRESH_MS, read, reportFormat } from "./spec.js";

/**
 * An app's resource limits and reservations per process type (the resource plugin, Go:
 * plugins/resource of dokku/dokku). They are docker run arguments of the app's containers, so a
 * change takes effect when the containers are next made: a restart (or a deploy), never at once.
 */

/** All process types (Dokku's `_default_`), or one. */
export const resourceTarget = z.union([z.literal("_default_"), processType]);
export const RESOURCE_KINDS = ["limit", "reserve"] as const;
export const resourceKind = z.enum(RESOURCE_KINDS);

const CPU = "CPUs are a number, e.g. 0.5 or 2";
const MEMORY = "memory is a whole number with a unit b, k, m or g (no unit: MB, as Dokku reads it), e.g. 512m";
export const cpuValue = z.string().regex(/^\d{1,3}(\.\d{1,3})?$/, CPU);
export const memoryValue = z.string().regex(/^\d{1,7}[bkmgBKMG]?$/, MEMORY);

/** What a resource change needs to take effect, said with the change. */
export const RESOURCES_TAKE_EFFECT = "Takes effect when the app's containers are next started: restart the app (or deploy).";

/** One property of resource:report: `TYPE.KIND.RESOURCE` (`_default_.limit.memory`) and its value. */
export const resourceEntry = z.object({ processType: z.string(), kind: resourceKind, resource: z.string(), value: z.string() });
export type ResourceEntry = z.infer<typeof resourceEntry>;

export const resourcesOps = {
  /** `resource:report APP` (Go, JSON): every limit and reservation set, per process type. */
  "resources.report": read({
    access: { scope: "app", area: "resources" },
    args: appOnly,
    result: z.object({ entries: z.array(resourceEntry), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `resource:limit|reserve [--cpu N] [--memory M] --process-type T APP`: at least one of cpu and memory. */
  "resources.set": change({
    access: { scope: "app", area: "resources" },
    title: (a) => `Set ${a.kind === "limit" ? "limits" : "reservations"} of ${a.app} (${a.processType === "_default_" ? "all processes" : a.processType})`,
    args: z
      .object({ app: appName, kind: resourceKind, processType: resourceTarget, cpu: cpuValue.optional(), memory: memoryValue.optional() })
      .strict()
      .refine((a) => a.cpu !== undefined || a.memory !== undefined, "give cpu, memory or both"),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["resources.report"],
  }),
  /** `resource:limit-clear|reserve-clear --process-type T APP`: that type's limits (or reservations) go. */
  "resources.clear": change({
    access: { scope: "app", area: "resources" },
    title: (a) => `Clear ${a.kind === "limit" ? "limits" : "reservations"} of ${a.app} (${a.processType === "_default_" ? "all processes" : a.processType})`,
    args: z.object({ app: appName, kind: resourceKind, processType: resourceTarget }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["resources.report"],
  }),
} as const;
