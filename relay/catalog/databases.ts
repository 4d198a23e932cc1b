import { dbPlugin, type DbPlugin } from "../../protocol/names.js";
import type { ExposedPort } from "../../protocol/ops/database-ports.js";
import { pluginProblem } from "../../protocol/ops.js";
import { commandResult, failIfFailed, isNotACommand } from "../dokku/output.js";
import { parseIndentedFields, words } from "../dokku/report.js";
import type { RunResult } from "../process/run.js";
import { listPlugins, pluginStatus, pluginStatusOf } from "./plugins.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry, type DokkuCall, type OpContext } from "./types.js";
import { flag, type Arg } from "../process/argv-guard.js";

/** A datastore command that is "not a dokku command": say whether the plugin is disabled, missing or older than `minVersion`, and the fix. */
async function unavailable(ctx: OpContext, plugin: DbPlugin, minVersion: string | null): Promise<OpFailure> {
  const s = await pluginStatus(ctx, plugin, minVersion);
  return new OpFailure("unavailable", pluginProblem(s.state === "enabled" ? { ...s, state: "too-old" } : s));
}

/**
 * Run `<plugin>:<cmd> …` (its DSNs' passwords are masked wherever its output goes: relay/process/redact.ts);
 * a plugin that cannot run is "unavailable", saying why (missing, disabled, too old: older than
 * `minVersion`, the plugin version the command came in, when given), and so is a command the plugin
 * lists in PLUGIN_UNIMPLEMENTED_SUBCOMMANDS (its config), which fails with "Not yet implemented"
 * (is_implemented_command in common-functions of dokku/dokku-postgres).
 */
export async function dbCommand(ctx: OpContext, plugin: DbPlugin, argv: Arg[], call?: DokkuCall, minVersion: string | null = null): Promise<RunResult> {
  const res = await ctx.dokku(argv, call);
  if (isNotACommand(res)) throw await unavailable(ctx, plugin, minVersion);
  if (res.exitCode === 1 && /^ !\s+Not yet implemented$/m.test(res.stderr)) {
    const cmd = argv.find((a): a is string => typeof a === "string" && a.startsWith(`${plugin}:`)) ?? plugin;
    throw new OpFailure("unavailable", `the installed ${plugin} plugin does not implement ${cmd}`);
  }
  return res;
}

/** Like failIfFailed, plus the plugin's own "service X does not exist" (exit 1) as not_found. */
export function failIfDbFailed(res: RunResult, app?: string): void {
  if (res.exitCode === 1 && / service \S+ does not exist/.test(res.stderr)) {
    throw new OpFailure("not_found", (res.stderr.match(/ !\s+(.* service \S+ does not exist)/)?.[1] ?? "service does not exist").trim());
  }
  failIfFailed(res, app);
}

export function dbResult(res: RunResult, app?: string): { output: string; warning?: string } {
  failIfDbFailed(res, app);
  return commandResult(res, app);
}

const SERVICE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const TABLE_HEADER = /^NAME\s+VERSION\s+STATUS\b/;

/**
 * `<p>:list` in the forms the official datastore plugins have printed (service_list in
 * common-functions of dokku/dokku-postgres and its siblings):
 * - since 1.10.0: `=====> Postgres services` then one name per line (no services: only a
 *   ` !     There are no Postgres services` warning on stderr);
 * - before 1.10.0: a `column -t` table `NAME  VERSION  STATUS  EXPOSED PORTS  LINKS` with one row
 *   per service (the header left out under --quiet).
 * Output in neither form throws: a list that cannot be read is not an empty one.
 */
export function parseServiceList(stdout: string): string[] {
  const lines = stdout
    .split("\n")
    .map((l) => l.replace(/\r$/, "").trim())
    .filter((l) => l && !l.startsWith("=====>"));
  if (lines.length === 0) return [];
  const rows = TABLE_HEADER.test(lines[0]!) ? lines.slice(1) : lines;
  const names: string[] = [];
  for (const row of rows) {
    const cols = row.split(/\s+/);
    const oneName = cols.length === 1 && SERVICE.test(cols[0]!);
    const tableRow = cols.length >= 3 && SERVICE.test(cols[0]!) && cols[1]!.includes(":");
    if (!oneName && !tableRow) throw new Error(`unexpected line "${row.length > 80 ? `${row.slice(0, 80)}…` : row}"`);
    names.push(cols[0]!);
  }
  return names;
}

async function servicesOf(ctx: OpContext, plugin: DbPlugin, explain = true): Promise<string[]> {
  const res = explain ? await dbCommand(ctx, plugin, [`${plugin}:list`]) : await ctx.dokku([`${plugin}:list`]);
  failIfFailed(res);
  try {
    return parseServiceList(res.stdout);
  } catch (e) {
    throw new OpFailure("dokku_error", `${plugin}:list printed output the relay could not read (${(e as Error).message}), so its services are unknown`);
  }
}

/**
 * Every datastore plugin's state and services. `plugin:list` and each plugin's `<p>:list` run
 * together (one command deep, not two): a plugin that is not enabled costs one "is not a dokku
 * command" answer, ignored. One plugin whose list fails or cannot be read says so in its own row.
 */
export const databasesOverview: CatalogEntry<"databases.overview"> = {
  async run(ctx) {
    // Each list runs beside plugin:list, which already says why a plugin cannot run: no second trip to ask.
    const [listed, ...services] = await Promise.allSettled([listPlugins(ctx), ...dbPlugin.options.map((plugin) => servicesOf(ctx, plugin, false))]);
    if (listed.status === "rejected") throw listed.reason;
    const plugins = dbPlugin.options.map((plugin, i) => {
      const status = pluginStatusOf(listed.value, plugin);
      if (status.state !== "enabled") return { plugin, status, services: null, problem: null };
      const found = services[i]!;
      if (found.status === "fulfilled") return { plugin, status, services: found.value, problem: null };
      const e: unknown = found.reason;
      if (!(e instanceof OpFailure) || e.code === "cancelled") throw e;
      return { plugin, status, services: null, problem: e.message };
    });
    return { plugins };
  },
};

export const databasesList: CatalogEntry<"databases.list"> = {
  async run(ctx, { plugin }) {
    return { services: await servicesOf(ctx, plugin) };
  },
};

/**
 * `<p>:info`'s "Exposed ports": `-` when not exposed, else `CONTAINER->HOST ` per port of the
 * service (service_exposed_ports in common-functions), HOST being what was given to expose (a port,
 * or `address:port`). A word in neither form throws.
 */
export function parseExposedPorts(text: string): ExposedPort[] {
  return words(text).map((w) => {
    const m = /^(\d+)->(\S+)$/.exec(w);
    if (!m) throw new OpFailure("dokku_error", `the exposed port "${w.slice(0, 40)}" is not in the form CONTAINER->HOST`);
    return { container: Number(m[1]), host: m[2]! };
  });
}

/** `<p>:info SVC`: `printf "%-20s %-25s"` lines under `=====> SVC <plugin> service information`; no JSON mode. */
export const databasesInfo: CatalogEntry<"databases.info"> = {
  async run(ctx, { plugin, service }) {
    const res = await dbCommand(ctx, plugin, [`${plugin}:info`, service]);
    failIfDbFailed(res);
    const fields = parseIndentedFields(res.stdout);
    if (!("dsn" in fields) && !("status" in fields)) throw new OpFailure("dokku_error", `${plugin}:info printed no service information`);
    return {
      fields,
      links: words(fields.links ?? ""),
      status: fields.status ?? "",
      version: fields.version ?? "",
      dsn: fields.dsn ?? "",
      exposedPorts: parseExposedPorts(fields["exposed-ports"] ?? ""),
    };
  },
};

export const databasesCreate: CatalogEntry<"databases.create"> = {
  async run(ctx, { plugin, service }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:create`, service]));
  },
};

/** `--no-restart` as a leading global flag: honoured by every plugin version through DOKKU_GLOBAL_FLAGS. */
export const databasesLink: CatalogEntry<"databases.link"> = {
  async run(ctx, { plugin, service, app, noRestart }) {
    const argv = [...(noRestart ? [flag("--no-restart")] : []), `${plugin}:link`, service, app];
    return dbResult(await dbCommand(ctx, plugin, argv), app);
  },
};

export const databasesUnlink: CatalogEntry<"databases.unlink"> = {
  async run(ctx, { plugin, service, app, noRestart }) {
    const argv = [...(noRestart ? [flag("--no-restart")] : []), `${plugin}:unlink`, service, app];
    return dbResult(await dbCommand(ctx, plugin, argv), app);
  },
};

export const databasesDestroy: CatalogEntry<"databases.destroy"> = {
  async run(ctx, { plugin, service, confirm }) {
    if (service !== confirm) throw new OpFailure("bad_request", "confirm must repeat the service name exactly");
    return dbResult(await dbCommand(ctx, plugin, [flag("--force"), `${plugin}:destroy`, service]));
  },
};
