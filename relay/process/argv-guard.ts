import { ALLOW_ISOLATION_HINT, listedOptionProblem, vetDockerOption } from "../../protocol/docker-options.js";
import { OpFailure } from "../dokku/failure.js";

/**
 * No value from input reaches Dokku as an option. Catalog entries build argv from strings and
 * from flags they tag with `flag()`; every string is treated as input (or derived from it: `K=V`,
 * `${plugin}:create`, a number's text), and the recording dokku() (relay/ops/op-context.ts) passes argv
 * through `checkArgv` before anything is recorded or run, so a string that starts with `-` refuses
 * the command whole: nothing runs, nothing is half-done, nothing is altered. Tagging, not text,
 * decides: an input that spells a real flag (`--force`, `--trace`) is still refused. The op
 * schemas (protocol/names.ts) refuse such values at the edge already; this is the one place that
 * holds whatever a schema lets through.
 *
 * Why it matters beyond each plugin's own parser: the `dokku` entry script's parse_args
 * (plugins/common/functions in dokku/dokku) scans EVERY argument, not only leading ones, so a
 * value `--force` anywhere sets DOKKU_APPS_FORCE_DELETE and `--trace` turns on `set -x` (config
 * values in the trace); bash plugins then pass values on to other tools (git:sync's remote becomes
 * an argument of `git clone` in plugins/git/internal-functions, where `-u…` is --upload-pack).
 *
 * `--` (END_OF_OPTIONS) goes before the values of commands whose parser honours it: the Go
 * subcommands parsed with spf13/pflag (interspersed flags; `--` ends them), i.e. config:set and
 * config:unset (plugins/config/src/subcommands/subcommands.go), buildpacks:add and
 * buildpacks:remove (plugins/buildpacks/src/subcommands/subcommands.go), ports:add and ports:remove
 * (plugins/ports/src/subcommands/subcommands.go, from 0.31.0), builder:set
 * (plugins/builder/src/subcommands/subcommands.go) and ps:scale
 * (plugins/ps/src/subcommands/subcommands.go), all Go and pflag since 0.30.0 or before. It goes
 * after the app, so the app stays where Dokku's entry script and user-auth triggers look for it.
 * Not where it would become a value: the bash commands read positions (git:sync and git:set in
 * plugins/git/internal-functions, domains:add/remove in plugins/domains/subcommands, checks:*,
 * letsencrypt:set in command-functions of dokku/dokku-letsencrypt, the datastore plugins' service
 * commands in dokku/dokku-postgres and friends), and the entry script's own parse_args does not
 * stop at `--` either — which is why this guard, not `--`, is what holds.
 */

/** Every flag a catalog entry may write. Anything else beginning with `-` never runs. */
export const FLAGS = [
  "--",
  "--build",
  "--chown",
  "--container-dir",
  "--cpu",
  "--destroy-host-dir",
  "--encoded",
  "--force",
  "--format",
  "--global",
  "--ignore-existing",
  "--index",
  "--memory",
  "--process",
  "--no-restart",
  "--password-stdin",
  "--process-type",
  "--quiet",
  "--skip-deploy",
  "--use-iam",
  "--volume-readonly",
  "-n",
  "-p",
  "-t",
] as const;
export type FlagText = (typeof FLAGS)[number];

const known: ReadonlySet<string> = new Set(FLAGS);

/** A flag the catalog wrote itself, from a FlagText literal (see `flag`). */
export class Flag {
  constructor(readonly text: FlagText) {
    // a cast could smuggle in any string: refuse it as the relay bug it would be
    if (!known.has(text)) throw new Error(`${String(text)} is not a flag the catalog may write`);
  }
}

/** Tag a literal flag of a catalog entry's argv (typed: only the FLAGS literals compile). */
export function flag(text: FlagText): Flag {
  return new Flag(text);
}

/** `--`: the end of options, for the commands listed above that honour it. */
export const END_OF_OPTIONS = flag("--");

/**
 * The one kind of input that may begin with `-`: a docker option (docker-options:add/remove, whose
 * value IS an option for `docker run`). Not a bypass: it can only be made by vetting the text
 * (protocol/docker-options.ts: one flag of a known safe kind, no shell characters; an
 * isolation-breaking one only where this relay allows it), and it runs as the vetted text.
 */
export class VettedOption {
  private constructor(readonly text: string) {}

  /**
   * An option to add, vetted: refused (bad_request, nothing run) when its shape or flag is not
   * accepted, or when it breaks the host's isolation and `allowIsolationBreaking` is false.
   */
  static dockerOption(text: string, allowIsolationBreaking: boolean): VettedOption {
    const v = vetDockerOption(text);
    if (!v.ok) throw new OpFailure("bad_request", `${v.why}. Nothing was run.`);
    if (v.breaks && !allowIsolationBreaking) throw new OpFailure("bad_request", `${v.option} ${v.breaks}. ${ALLOW_ISOLATION_HINT} Nothing was run.`);
    return new VettedOption(v.option);
  }

  /** An option as Dokku lists it, to remove exactly it: its shape vetted (removing never widens access). */
  static listedDockerOption(text: string): VettedOption {
    const why = listedOptionProblem(text);
    if (why) throw new OpFailure("bad_request", `${why}. Nothing was run.`);
    return new VettedOption(text);
  }
}

/** One argv element as a catalog entry writes it: a tagged flag, a vetted docker option, or a string (input, as far as the guard knows). */
export type Arg = string | Flag | VettedOption;

/**
 * argv as it is run: tagged flags become their text; a string that starts with `-` or holds a NUL
 * (which no argv can carry) refuses the command with a bad_request OpFailure. The message names
 * the position, never the value (it may be a secret).
 */
export function checkArgv(argv: readonly Arg[]): string[] {
  const command = argv.find((a): a is string => typeof a === "string" && !a.startsWith("-")) ?? "dokku";
  return argv.map((a, i) => {
    if (a instanceof Flag || a instanceof VettedOption) return a.text;
    if (typeof a !== "string") throw new OpFailure("bad_request", `argument ${i + 1} of ${command} is not text; nothing was run`);
    if (a.startsWith("-")) {
      throw new OpFailure(
        "bad_request",
        `argument ${i + 1} of ${command} starts with "-" and Dokku would read it as an option; a value may not start with "-". Nothing was run.`,
      );
    }
    if (a.includes("\u0000")) throw new OpFailure("bad_request", `argument ${i + 1} of ${command} holds a NUL character; nothing was run`);
    return a;
  });
}
