import { z } from "zod";
import { listedOptionProblem, vetDockerOption } from "../docker-options.js";
import { appName, processType } from "../names.js";
import { appOnly, change, FRESH_MS, read, reportFormat, type ChangeTitle } from "./spec.js";

/**
 * An app's docker options per phase (the docker-options plugin of dokku/dokku: bash before 0.38.0,
 * Go from it, where deploy-phase options may also be scoped to one process type). They reach past
 * the app into the host's docker, so every change is host-root; each option is vetted
 * (protocol/docker-options.ts) by the edge's form, by this schema and again by the relay's argv guard.
 */

export const DOCKER_PHASES = ["build", "deploy", "run"] as const;
export const dockerPhase = z.enum(DOCKER_PHASES, { error: "a phase is build, deploy or run" });
export type DockerPhase = (typeof DOCKER_PHASES)[number];

/** Per process type options arrived with the Go plugin (`--process`, plugins/docker-options/src/subcommands/subcommands.go). */
export const DOCKER_OPTIONS_PROCESS_SINCE = "0.38.0";

/** An option to add: its shape and flag vetted here (an isolation-breaking one is left to the relay's setting). */
export const dockerOption = z
  .string()
  .max(500)
  .superRefine((o, ctx) => {
    const v = vetDockerOption(o);
    if (!v.ok) ctx.addIssue({ code: "custom", message: v.why });
  });

/** An option as listed, to remove exactly it. */
const listedOption = z
  .string()
  .max(500)
  .superRefine((o, ctx) => {
    const why = listedOptionProblem(o);
    if (why) ctx.addIssue({ code: "custom", message: why });
  });

const phases = z
  .array(dockerPhase)
  .min(1)
  .max(3)
  .refine((p) => new Set(p).size === p.length, "each phase once");

/** Dokku takes `--process` only with the deploy phase (ValidateProcessFlag in plugins/docker-options/functions.go). */
const deployOnlyForProcess = (a: { phases?: DockerPhase[]; processType?: string }) =>
  a.processType === undefined || (a.phases ?? ["deploy"]).every((p) => p === "deploy");
const DEPLOY_ONLY = "options per process type apply to the deploy phase only";

const invalidates = ["docker-options.report"];

/** A change to an app's docker options: host-root (an option reaches past the app into the host's docker), done in a minute, the report stale after. */
function optionsChange<A extends z.ZodType>(args: A, title: ChangeTitle<A>) {
  return change({ access: { scope: "app", area: "docker-options", hostRoot: true }, title, args, timeoutMs: 60_000, streams: false, invalidates });
}

export const dockerOptionsOps = {
  /** `docker-options:report APP`: the options of each phase, and (0.38) the deploy options of each process type. */
  "docker-options.report": read({
    access: { scope: "app", area: "docker-options" },
    args: appOnly,
    result: z.object({
      phases: z.object({ build: z.array(z.string()), deploy: z.array(z.string()), run: z.array(z.string()) }),
      processes: z.record(z.string(), z.array(z.string())),
      format: reportFormat,
    }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  /** `docker-options:add [--process TYPE] APP PHASES OPTION`. Applies at the next deploy (build: the next build). */
  "docker-options.add": optionsChange(
    z.object({ app: appName, phases, option: dockerOption, processType: processType.optional() }).strict().refine(deployOnlyForProcess, DEPLOY_ONLY),
    (a) => `Add a docker option to ${a.app}`,
  ),
  /** `docker-options:remove [--process TYPE] APP PHASES OPTION`, the option exactly as listed. */
  "docker-options.remove": optionsChange(
    z.object({ app: appName, phases, option: listedOption, processType: processType.optional() }).strict().refine(deployOnlyForProcess, DEPLOY_ONLY),
    (a) => `Remove a docker option from ${a.app}`,
  ),
  /** `docker-options:clear [--process TYPE] APP [PHASES]` (no phases: all of them). */
  "docker-options.clear": optionsChange(
    z.object({ app: appName, phases: phases.optional(), processType: processType.optional() }).strict().refine(deployOnlyForProcess, DEPLOY_ONLY),
    "Clear the docker options of {app}",
  ),
} as const;
