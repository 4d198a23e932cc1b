import { z } from "zod";
import { appName, listedAppName, processType } from "../names.js";
import { deployBranchInfo } from "./deploy.js";
import { appOnly, change, DEPLOYED, FRESH_MS, noArgs, OP_LIMITS, PROCESS_STATE, read, reportFormat, runningState } from "./spec.js";

/** Apps and their processes: the list, one app's state, create/destroy, start/stop/restart/rebuild, scale. */

/**
 * What an app's ps:report fields mean together (read in relay/dokku/ps-state.ts): running, stopped
 * (`ps:stop`), scaled to 0 (`ps:scale APP web=0`: deployed, no containers), mixed, never deployed,
 * or unknown (ps:report did not say: a row missing from the all-apps report, a scheduler that
 * reports no count).
 */
export const appState = z.enum(["running", "stopped", "scaled-to-zero", "mixed", "not-deployed", "unknown"]);
export type AppState = z.infer<typeof appState>;

export const appSummary = z.object({
  name: listedAppName,
  state: appState,
  /** Containers as ps:report counts them; null when it did not say. */
  processes: z.number().int().min(0).nullable(),
  /** Why the state is unknown (null when it is known). */
  unknownReason: z.string().nullable(),
});
export type AppSummary = z.infer<typeof appSummary>;

export const scaleEntry = z.object({ processType, quantity: z.number().int().min(0) });

/** A Procfile scale: how many of each process type. */
const count = z.number().int().min(0).max(OP_LIMITS.scaleCount);

export const appsOps = {
  "apps.list": read({
    access: { scope: "host", area: "apps" },
    args: noArgs,
    result: z.object({ apps: z.array(appSummary) }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "apps.restart": change({
    access: { scope: "app", area: "processes" },
    title: "Restart {app}",
    args: appOnly,
    timeoutMs: 300_000,
    streams: true,
    invalidates: PROCESS_STATE,
  }),
  "apps.detail": read({
    access: { scope: "app", area: "apps" },
    args: appOnly,
    result: z.object({
      name: appName,
      state: appState,
      deployed: z.boolean(),
      running: runningState,
      /** Containers as ps:report counts them; null when it did not say (`-1`: a scheduler that reports none). */
      processes: z.number().int().min(0).nullable(),
      unknownReason: z.string().nullable(),
      canScale: z.boolean(),
      restartPolicy: z.string(),
      containers: z.array(z.object({ process: z.string(), state: z.string(), cid: z.string().nullable() })),
      domains: z.object({ enabled: z.boolean(), vhosts: z.array(z.string()) }),
      git: z.object({ deployBranch: deployBranchInfo, sha: z.string(), lastUpdatedAt: z.number().int().nullable() }),
      format: reportFormat,
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "apps.create": change({
    access: { scope: "host", area: "apps" },
    title: "Create app {app}",
    args: appOnly,
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["apps.list", "domains.all"],
  }),
  "apps.destroy": change({
    access: { scope: "app", area: "apps", hostRoot: true },
    title: "Destroy app {app}",
    args: z
      .object({ app: appName, confirm: z.string().max(63) })
      .strict()
      .refine((a) => a.app === a.confirm, { message: "confirm must repeat the app name exactly", path: ["confirm"] }),
    timeoutMs: 180_000,
    streams: true,
    invalidates: "host",
  }),
  "apps.start": change({
    access: { scope: "app", area: "processes" },
    title: "Start {app}",
    args: appOnly,
    timeoutMs: 300_000,
    streams: true,
    invalidates: PROCESS_STATE,
  }),
  "apps.stop": change({
    access: { scope: "app", area: "processes" },
    title: "Stop {app}",
    args: appOnly,
    timeoutMs: 120_000,
    streams: true,
    invalidates: PROCESS_STATE,
  }),
  "apps.rebuild": change({
    access: { scope: "app", area: "deploy" },
    title: "Rebuild {app}",
    args: appOnly,
    timeoutMs: 1_800_000,
    streams: true,
    invalidates: DEPLOYED,
    deploys: true,
  }),
  "apps.scale.show": read({
    access: { scope: "app", area: "processes" },
    args: appOnly,
    result: z.object({ scale: z.array(scaleEntry), format: reportFormat }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "apps.scale.set": change({
    access: { scope: "app", area: "processes" },
    title: "Scale {app}",
    args: z
      .object({
        app: appName,
        scale: z
          .record(processType, count)
          .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= OP_LIMITS.scaleTypes, `give 1 to ${OP_LIMITS.scaleTypes} process types`),
        skipDeploy: z.boolean().default(false),
      })
      .strict(),
    timeoutMs: 600_000,
    streams: true,
    invalidates: [...PROCESS_STATE, "apps.scale.show"],
  }),
} as const;
