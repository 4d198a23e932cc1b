import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, dirname, join, parse, resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { z } from "zod";
import { hostId } from "../../protocol/names.js";
import { SIMULATOR } from "./artifact.js";

const configSchema = z.object({
  url: z.url({ protocol: /^(https?|wss?)$/, error: "DOCKLIGHT_URL must be an http(s) or ws(s) URL of the edge" }),
  host: z.string({ error: "DOCKLIGHT_HOST_ID is missing" }).pipe(hostId),
  token: z.string().min(32, "DOCKLIGHT_RELAY_TOKEN is missing or too short"),
  opPublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "DOCKLIGHT_OP_PUBLIC_KEY must be the edge's Ed25519 public key (43 base64url characters)"),
  dokkuBin: z.string().min(1).nullable(),
  simulator: z.boolean(),
  db: z.string().min(1),
  statusFile: z.string().min(1).nullable(),
  readOnly: z.boolean(),
  /** Op names; that each is an op of the catalog is deniedUnknown's to check (it loads the op declarations). */
  deny: z.array(z.string().regex(/^[a-z][a-zA-Z0-9.]*$/, "DOCKLIGHT_DENY lists op names such as apps.restart, separated by commas")),
  /** Allow docker options that break the host's isolation (protocol/docker-options.ts); off unless the host's operator says so. */
  allowIsolationBreaking: z.boolean(),
  historyMaxRows: z.coerce.number().int().min(100),
  historyMaxDays: z.coerce.number().int().min(1),
  heartbeatMs: z.coerce.number().int().min(500).max(60_000),
  /** Image releases per app whose image the relay keeps for rollback (relay/releases/kept.ts); 0 keeps none. */
  keptImages: z.coerce.number().int().min(0).max(50),
  dockerBin: z.string().min(1).nullable(),
});

/** Which dokku the relay drives, or why it has none (the relay then exits 78; doctor reports it). */
export type DokkuChoice = { bin: string; simulated: boolean } | { error: string };

export type RelayConfig = z.infer<typeof configSchema> & {
  /** The edge's base URL as given (http(s)), for doctor's plain HTTP checks. */
  baseUrl: string;
  /** ws(s)://EDGE/relay/connect?host=ID */
  edgeUrl: string;
  dokku: DokkuChoice;
  /** The `docker` the relay keeps release images with, or null when there is none (a rollback to an image release then says why it cannot). */
  docker: string | null;
};

/** The relay's flags; `docklight-relay --help` describes them (relay/cli/help.ts). */
export const relayOptions = {
  url: { type: "string" },
  host: { type: "string" },
  "dokku-bin": { type: "string" },
  db: { type: "string" },
  "read-only": { type: "boolean" },
  deny: { type: "string" },
  "allow-isolation-breaking": { type: "boolean" },
  simulator: { type: "boolean" },
  "env-file": { type: "string" },
} as const;

const truthy = (v: string | undefined) => ["1", "true", "yes"].includes((v ?? "").toLowerCase());

function onPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function chooseDokku(c: { dokkuBin: string | null; simulator: boolean }, path: string | undefined): DokkuChoice {
  if (c.simulator) {
    const bin = c.dokkuBin ?? SIMULATOR;
    if (!bin) return { error: "the Dokku simulator is not part of the relay artifact: run it from a checkout (npm start), or set DOKKU_BIN" };
    return executable(bin) ? { bin, simulated: true } : { error: `the simulator ${bin} is not an executable file` };
  }
  if (c.dokkuBin) return executable(c.dokkuBin) ? { bin: c.dokkuBin, simulated: false } : { error: `DOKKU_BIN=${c.dokkuBin} is not an executable file` };
  const found = onPath("dokku", path);
  if (found) return { bin: found, simulated: false };
  return {
    error:
      "dokku was not found on the PATH: this relay runs on a Dokku host (https://dokku.com/docs/getting-started/installation/). " +
      "Set DOKKU_BIN=/path/to/dokku if it lives elsewhere; for a demo without Dokku, start the relay from a checkout with --simulator.",
  };
}

/**
 * The `docker` for the relay's image commands: DOCKER_BIN, else the simulator's own beside its
 * `dokku` (test/simulator/docker), else `docker` on the PATH, else none.
 */
function chooseDocker(c: { dockerBin: string | null }, dokku: DokkuChoice, path: string | undefined): string | null {
  if (c.dockerBin) return executable(c.dockerBin) ? c.dockerBin : null;
  if ("bin" in dokku && dokku.simulated) {
    const sim = join(dirname(dokku.bin), "docker");
    return executable(sim) ? sim : null;
  }
  return onPath("docker", path);
}

/**
 * Settings from an env file (KEY=VALUE lines, as systemd's EnvironmentFile= reads them). Variables
 * already in the environment win over the file. Throws with the path when it cannot be read.
 */
function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === "EACCES" ? " (it is readable by root only: run this as root, e.g. with sudo)" : "";
    throw new Error(`cannot read the settings file ${path}: ${code ?? (e as Error).message}${hint}`);
  }
}

/**
 * The relay's configuration from flags (first), environment variables, then the env file named by
 * `--env-file` or DOCKLIGHT_ENV_FILE; checked with zod. Throws an Error whose message lists every
 * problem. A missing dokku is not thrown but returned in `dokku`, so doctor can report it.
 *
 * It changes `env` (the process's environment by default) as systemd's EnvironmentFile= would:
 * the file's settings are added (dokku, run by the relay, sees them too), and the relay token is
 * taken out, so no command the relay runs inherits it.
 */
export function loadConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const { values } = parseArgs({ args: argv, options: relayOptions, strict: true });
  const envFile = values["env-file"] ?? env.DOCKLIGHT_ENV_FILE;
  for (const [k, v] of Object.entries(envFile ? readEnvFile(envFile) : {})) env[k] ??= v;
  const token = env.DOCKLIGHT_RELAY_TOKEN ?? "";
  delete env.DOCKLIGHT_RELAY_TOKEN;
  const db = values.db ?? env.DOCKLIGHT_DB ?? "./data/relay.db";
  const parsed = configSchema.safeParse({
    url: values.url ?? env.DOCKLIGHT_URL,
    host: values.host ?? env.DOCKLIGHT_HOST_ID,
    token,
    opPublicKey: env.DOCKLIGHT_OP_PUBLIC_KEY ?? "",
    dokkuBin: values["dokku-bin"] ?? env.DOKKU_BIN ?? null,
    simulator: values.simulator ?? truthy(env.DOCKLIGHT_SIMULATOR),
    db,
    statusFile: env.DOCKLIGHT_STATUS_FILE ?? (db === ":memory:" ? null : join(dirname(resolve(db)), `${parse(db).name}.status.json`)),
    readOnly: values["read-only"] ?? truthy(env.DOCKLIGHT_READ_ONLY),
    deny: (values.deny ?? env.DOCKLIGHT_DENY ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    allowIsolationBreaking: values["allow-isolation-breaking"] ?? truthy(env.DOCKLIGHT_ALLOW_ISOLATION_BREAKING),
    historyMaxRows: env.DOCKLIGHT_HISTORY_MAX_ROWS ?? 100_000,
    historyMaxDays: env.DOCKLIGHT_HISTORY_MAX_DAYS ?? 90,
    heartbeatMs: env.DOCKLIGHT_HEARTBEAT_MS ?? 15_000,
    keptImages: env.DOCKLIGHT_KEPT_IMAGES ?? 5,
    dockerBin: env.DOCKER_BIN ?? null,
  });
  if (!parsed.success) throw new Error(`relay configuration is invalid:\n${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const edge = new URL(c.url);
  const base = new URL(c.url);
  base.protocol = base.protocol === "wss:" ? "https:" : base.protocol === "ws:" ? "http:" : base.protocol;
  edge.protocol = edge.protocol === "https:" || edge.protocol === "wss:" ? "wss:" : "ws:";
  edge.pathname = "/relay/connect";
  edge.search = `?host=${encodeURIComponent(c.host)}`;
  const dokku = chooseDokku(c, env.PATH);
  return { ...c, baseUrl: base.origin, edgeUrl: edge.toString(), dokku, docker: chooseDocker(c, dokku, env.PATH) };
}

/**
 * The entries of a deny list that name no op of the catalog, as the message `loadConfig` would
 * throw for them, or null when every one is an op. Async because it loads the op declarations
 * (protocol/ops.ts): a relay with no deny list never loads them at start (bench:relay-idle).
 */
export async function deniedUnknown(deny: readonly string[]): Promise<string | null> {
  if (deny.length === 0) return null;
  const { opNames } = await import("../../protocol/ops.js");
  const unknown = deny.filter((op) => !(opNames as readonly string[]).includes(op));
  return unknown.length === 0
    ? null
    : `relay configuration is invalid:\n✖ DOCKLIGHT_DENY names ${unknown.join(", ")}: not an op of the catalog (docklight-relay refuses only ops it has)`;
}

/**
 * loadConfig, then deniedUnknown: the settings `run` and `doctor` work with. Throws as loadConfig
 * does, an unknown op in the deny list included.
 */
export async function loadCheckedConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<RelayConfig> {
  const config = loadConfig(argv, env);
  const unknown = await deniedUnknown(config.deny);
  if (unknown) throw new Error(unknown);
  return config;
}
