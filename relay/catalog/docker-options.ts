import { z } from "zod";
import { DOCKER_OPTIONS_PROCESS_SINCE, DOCKER_PHASES, type DockerPhase } from "../../protocol/ops/docker-options.js";
import { OpFailure } from "../dokku/failure.js";
import { commandResult, failIfFailed } from "../dokku/output.js";
import { JSON_SINCE } from "../dokku/read-report.js";
import { normalizeReportKeys, parseReports } from "../dokku/report.js";
import { requireSince } from "../dokku/since.js";
import { versionAtLeast } from "../dokku/version.js";
import { flag, VettedOption, type Arg } from "../process/argv-guard.js";
import type { CatalogEntry } from "./types.js";

/**
 * A phase's options as the report joins them with spaces (fn-docker-options in
 * plugins/docker-options/internal-functions on 0.35: `tr '\n' ' '`; joinProcessPhaseOptions in
 * report.go on 0.38): a word starting with `-` starts the next option (`-v /a:/b --restart=always`).
 */
export function splitJoinedOptions(joined: string): string[] {
  const out: string[] = [];
  for (const word of joined.trim().split(/\s+/)) {
    if (word === "") continue;
    if (word.startsWith("-") || out.length === 0) out.push(word);
    else out[out.length - 1] += ` ${word}`;
  }
  return out;
}

const jsonReport = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()]));

/**
 * `docker-options:report APP`: bash text before 0.38.0 (cmd-docker-options-report-single in
 * plugins/docker-options/internal-functions: build, deploy and run, each joined by spaces); Go JSON
 * from 0.38.0 (ReportSingleApp in plugins/docker-options/report.go: keys with and without the
 * `docker-options-` prefix, `deploy.TYPE` per process type, and from 0.38.22 `PHASE-list` arrays
 * holding each option whole). With the version unknown, the text form.
 */
export const dockerOptionsReport: CatalogEntry<"docker-options.report"> = {
  async run(ctx, { app }) {
    const json = versionAtLeast(ctx.dokkuVersion, JSON_SINCE.bash);
    const res = await ctx.dokku(json ? ["docker-options:report", app, flag("--format"), "json"] : ["docker-options:report", app]);
    failIfFailed(res, app);
    const phases = { build: [] as string[], deploy: [] as string[], run: [] as string[] };
    const processes: Record<string, string[]> = {};
    if (json) {
      let raw: z.infer<typeof jsonReport>;
      try {
        raw = jsonReport.parse(JSON.parse(res.stdout.split("\n").find((l) => l.trim().startsWith("{")) ?? ""));
      } catch (e) {
        throw new OpFailure("dokku_error", `docker-options:report printed JSON the relay could not read: ${(e as Error).message.slice(0, 200)}`);
      }
      const read = (key: string): string[] | null => {
        const list = raw[`${key}-list`];
        if (Array.isArray(list)) return list;
        const joined = raw[key] ?? raw[`docker-options-${key}`];
        return typeof joined === "string" ? splitJoinedOptions(joined) : null;
      };
      for (const p of DOCKER_PHASES) phases[p] = read(p) ?? [];
      for (const key of Object.keys(raw)) {
        const m = /^(?:docker-options-)?deploy\.(.+?)(?:-list)?$/.exec(key);
        if (m && !(m[1]! in processes)) processes[m[1]!] = read(`deploy.${m[1]}`) ?? [];
      }
      return { phases, processes, format: "json" };
    }
    const block = parseReports(res.stdout).find((b) => b.app === app);
    if (!block) throw new OpFailure("dokku_error", `docker-options:report printed no report for ${app}`);
    const fields = normalizeReportKeys(block.fields, ["docker-options"]);
    for (const p of DOCKER_PHASES) phases[p] = splitJoinedOptions(fields[p] ?? "");
    // 0.38's text keys: `Docker options deploy web` (goReport turns '.' into a space)
    for (const [k, v] of Object.entries(fields)) {
      const m = /^deploy-(.+)$/.exec(k);
      if (m) processes[m[1]!] = splitJoinedOptions(v);
    }
    return { phases, processes, format: "text" };
  },
};

/** `--process TYPE` goes before the app: the Go subcommands parse with SetInterspersed(false) (src/subcommands/subcommands.go). */
function scope(ctx: { dokkuVersion: string | null }, command: string, processType: string | undefined): Arg[] {
  if (processType === undefined) return [];
  requireSince(ctx, `${command} --process`, DOCKER_OPTIONS_PROCESS_SINCE);
  return [flag("--process"), processType];
}

const phaseList = (phases: readonly DockerPhase[]) => phases.join(",");

/**
 * `docker-options:add [--process TYPE] APP PHASES OPTION` (cmd-docker-options-add in
 * plugins/docker-options/subcommands/add on 0.35, CommandAdd in functions.go on 0.38): the option is
 * one argv element, vetted by the argv guard's VettedOption against this relay's setting.
 */
export const dockerOptionsAdd: CatalogEntry<"docker-options.add"> = {
  refuse({ option }, relay) {
    VettedOption.dockerOption(option, relay.allowIsolationBreaking);
  },
  async run(ctx, { app, phases, option, processType }) {
    const vetted = VettedOption.dockerOption(option, ctx.allowIsolationBreaking);
    return commandResult(await ctx.dokku(["docker-options:add", ...scope(ctx, "docker-options:add", processType), app, phaseList(phases), vetted]), app);
  },
};

/** `docker-options:remove [--process TYPE] APP PHASES OPTION` (remove_passed_docker_option on 0.35, CommandRemove on 0.38): silent when it was not there. */
export const dockerOptionsRemove: CatalogEntry<"docker-options.remove"> = {
  async run(ctx, { app, phases, option, processType }) {
    const vetted = VettedOption.listedDockerOption(option);
    return commandResult(await ctx.dokku(["docker-options:remove", ...scope(ctx, "docker-options:remove", processType), app, phaseList(phases), vetted]), app);
  },
};

/** `docker-options:clear [--process TYPE] APP [PHASES]`: "-----> Clearing docker-options for APP on all phases" (or per phase). */
export const dockerOptionsClear: CatalogEntry<"docker-options.clear"> = {
  async run(ctx, { app, phases, processType }) {
    return commandResult(
      await ctx.dokku(["docker-options:clear", ...scope(ctx, "docker-options:clear", processType), app, ...(phases ? [phaseList(phases)] : [])]),
      app,
    );
  },
};
