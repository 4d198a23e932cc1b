import { hostPathRefusal, normaliseHostPath } from "./host-paths.js";

/**
 * Which docker options an app may be given (docker-options:add). Dokku hands them to `docker run`
 * and `docker build` through bash's `eval "ARG_ARRAY=($DOCKER_ARGS)"` (plugins/scheduler-docker-local
 * and plugins/builder-* of dokku/dokku), so an option is first held to a shape with no shell
 * characters at all: one flag, and at most one value with no spaces or quotes. Then each flag is
 * looked up: options Docklight knows to be safe pass; options that break the host's isolation
 * (privileged, the host's namespaces, mounts of the host's system folders or the docker socket,
 * added capabilities, devices, turned-off confinement) pass only where the relay was started to
 * allow them; anything else is refused as unknown. One vetting, used by the edge's forms and by the
 * relay's argv guard (relay/process/argv-guard.ts VettedOption) alike.
 */

/** One option's shape: `--flag`, `--flag=value`, `--flag value`, `-f value` (value: no spaces, no shell characters, not starting with '-'). */
const SHAPE = /^(--[a-z][a-z0-9-]*|-[a-zA-Z])(?:([= ])([A-Za-z0-9_.,:=/@+%][A-Za-z0-9_.,:=/@+%-]*))?$/;

/** The entry script's own flags, read anywhere in argv (parse_args in plugins/common/functions): never an option's text. */
const ENTRY_SCRIPT_FLAGS = new Set(["--quiet", "--trace", "--force", "--app"]);

const ALIASES: Record<string, string> = {
  "-e": "--env",
  "-v": "--volume",
  "-p": "--publish",
  "-l": "--label",
  "-m": "--memory",
  "-u": "--user",
  "-w": "--workdir",
  "-h": "--hostname",
  "--net": "--network",
};

/** Flags Docklight knows to stay within the container (docker run/build reference); value: whether one is required. */
const SAFE: Record<string, boolean> = {
  "--add-host": true,
  "--build-arg": true,
  "--cap-drop": true,
  "--cpu-shares": true,
  "--cpus": true,
  "--cpuset-cpus": true,
  "--dns": true,
  "--dns-option": true,
  "--dns-search": true,
  "--env": true,
  "--expose": true,
  "--hostname": true,
  "--init": false,
  "--ip": true,
  "--label": true,
  "--link": true,
  "--log-driver": true,
  "--log-opt": true,
  "--memory": true,
  "--memory-reservation": true,
  "--memory-swap": true,
  "--network-alias": true,
  "--no-cache": false,
  "--no-healthcheck": false,
  "--pids-limit": true,
  "--platform": true,
  "--publish": true,
  "--pull": true,
  "--read-only": false,
  "--restart": true,
  "--shm-size": true,
  "--stop-signal": true,
  "--stop-timeout": true,
  "--sysctl": true,
  "--tmpfs": true,
  "--ulimit": true,
  "--user": true,
  "--workdir": true,
};

const NAMESPACE: Record<string, string> = {
  "--network": "the host's network stack: every port and interface of the host",
  "--pid": "every process of the host, to see and signal",
  "--ipc": "the host's shared memory",
  "--uts": "the host's hostname and domain",
  "--userns": "no user-namespace remapping: root in the container is root on the host",
  "--cgroupns": "the host's cgroups",
};

/** A mount's source, refused when it would hand the app the host (protocol/host-paths.ts). */
function mountSource(source: string): string | null {
  if (!source.startsWith("/")) return null; // a named volume
  const why = hostPathRefusal(normaliseHostPath(source));
  return why ? `mounts ${normaliseHostPath(source)}: ${why}` : null;
}

/** Why a known isolation-breaking flag with this value breaks the host's isolation, or null when this value does not. */
const BREAKING: Record<string, { value: "none" | "optional" | "required"; why: (v: string) => string | null }> = {
  "--privileged": { value: "optional", why: (v) => (v === "false" ? null : "every capability and device of the host: root on the host") },
  "--cap-add": { value: "required", why: (v) => `adds the kernel capability ${v} beyond docker's defaults` },
  "--device": { value: "required", why: () => "passes a device of the host into the containers" },
  "--device-cgroup-rule": { value: "required", why: () => "lets the containers use devices of the host" },
  "--gpus": { value: "required", why: () => "passes the host's GPUs (devices) into the containers" },
  "--volumes-from": { value: "required", why: () => "mounts another container's volumes (another app's data)" },
  "--security-opt": {
    value: "required",
    why: (v) => (/^(seccomp|apparmor|systempaths)[=:]unconfined$|^label[=:]disable$/.test(v) ? `turns off a kernel confinement (${v})` : null),
  },
  "--volume": { value: "required", why: (v) => mountSource(v.split(":")[0]!) },
  "--mount": {
    value: "required",
    why: (v) => {
      const kv = Object.fromEntries(v.split(",").map((p) => [p.split("=")[0], p.split("=").slice(1).join("=")]));
      return mountSource(kv.source ?? kv.src ?? "");
    },
  },
  ...Object.fromEntries(
    Object.entries(NAMESPACE).map(([flag, what]) => [
      flag,
      {
        value: "required" as const,
        why: (v: string) => (v === "host" ? `shares ${what}` : v.startsWith("container:") ? `shares another container's namespace (${flag.slice(2)})` : null),
      },
    ]),
  ),
};

/** What vetting one option found: its text as it is run (a mount's path normalised), and why it breaks isolation, if it does. */
export type Vetted = { ok: true; option: string; flag: string; breaks: string | null } | { ok: false; why: string };

/** Vet one docker option as typed: its shape, then its flag (safe, isolation-breaking, or unknown and refused). */
export function vetDockerOption(text: string): Vetted {
  if (text.length > 500) return { ok: false, why: "a docker option is at most 500 characters" };
  const m = SHAPE.exec(text);
  if (!m) {
    return {
      ok: false,
      why: "a docker option is one flag (--name, --name=value, --name value or -n value); its value holds no spaces, quotes or shell characters and does not start with '-'",
    };
  }
  const [, given, sep = "", value] = m as unknown as [string, string, string | undefined, string | undefined];
  if (ENTRY_SCRIPT_FLAGS.has(given)) return { ok: false, why: `${given} is a flag of Dokku's own command line, not a docker option` };
  const flag = ALIASES[given] ?? given;
  const breaking = BREAKING[flag];
  if (breaking) {
    if (breaking.value === "required" && value === undefined) return { ok: false, why: `${given} needs a value` };
    // a bind mount's host path is run normalised, as storage mounts are
    const run =
      flag === "--volume" && value!.startsWith("/")
        ? `${given}${sep}${[normaliseHostPath(value!.split(":")[0]!), ...value!.split(":").slice(1)].join(":")}`
        : text;
    return { ok: true, option: run, flag, breaks: breaking.why(value ?? "") };
  }
  if (!(flag in SAFE)) return { ok: false, why: `${given} is not a docker option Docklight knows to be safe; set it with the dokku CLI if you must` };
  if (SAFE[flag] && value === undefined) return { ok: false, why: `${given} needs a value` };
  if (!SAFE[flag] && value !== undefined && sep === " ") return { ok: false, why: `${given} takes no value` };
  return { ok: true, option: text, flag, breaks: null };
}

/**
 * An option as Dokku lists it, for removing exactly it: the same shape (no shell characters, not
 * one of the entry script's flags), whatever its flag, since removing one never widens access.
 */
export function listedOptionProblem(text: string): string | null {
  if (text.length > 500) return "a docker option is at most 500 characters";
  const m = SHAPE.exec(text);
  if (!m) return "a listed docker option is one flag and at most one value with no spaces, quotes or shell characters";
  if (ENTRY_SCRIPT_FLAGS.has(m[1]!)) return `${m[1]} is a flag of Dokku's own command line, not a docker option`;
  return null;
}

/** How to allow options that break isolation: the relay's setting (relay/cli/config.ts), said wherever one is refused. */
export const ALLOW_ISOLATION_HINT =
  "This relay refuses docker options that break the host's isolation; start it with --allow-isolation-breaking (DOCKLIGHT_ALLOW_ISOLATION_BREAKING=1) to allow them.";
