import { dbPlugin, type DbPlugin } from "../../protocol/names.js";
import { commandResult, failIfFailed, isNotACommand } from "../dokku/output.js";
import { parseIndentedFields, words } from "../dokku/report.js";
import { dsnRedaction } from "../redact.js";
import type { RunResult } from "../run.js";
import { listPlugins } from "./plugins.js";
import { OpFailure, type CatalogEntry, type OpContext } from "./types.js";

/** The command that installs a datastore plugin, shown when it is missing. */
export function installCommand(plugin: DbPlugin): string {
  return `sudo dokku plugin:install https://github.com/dokku/dokku-${plugin}.git`;
}

function unavailable(plugin: DbPlugin): OpFailure {
  return new OpFailure("unavailable", `the ${plugin} plugin is not installed; install it with: ${installCommand(plugin)}`);
}

/** Run `<plugin>:<cmd> …` with DSNs masked wherever its output goes; a missing plugin is "unavailable". */
async function dbCommand(ctx: OpContext, plugin: DbPlugin, argv: string[]): Promise<RunResult> {
  const res = await ctx.dokku(argv, { redact: dsnRedaction });
  if (isNotACommand(res)) throw unavailable(plugin);
  return res;
}

/** Like failIfFailed, plus the plugin's own "service X does not exist" (exit 1) as not_found. */
function failIfDbFailed(res: RunResult, app?: string): void {
  if (res.exitCode === 1 && / service \S+ does not exist/.test(res.stderr)) {
    throw new OpFailure("not_found", (res.stderr.match(/ !\s+(.* service \S+ does not exist)/)?.[1] ?? "service does not exist").trim());
  }
  failIfFailed(res, app);
}

function dbResult(res: RunResult, app?: string): { output: string; warning?: string } {
  failIfDbFailed(res, app);
  return commandResult(res, app);
}

const SERVICE_LINE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** `<p>:list`: `=====> Postgres services` then one name per line (or a ` !     There are no … services` warning). */
export function parseServiceList(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => l.replace(/\r$/, "").trim())
    .filter((l) => l && !l.startsWith("=====>") && SERVICE_LINE.test(l));
}

async function servicesOf(ctx: OpContext, plugin: DbPlugin): Promise<string[]> {
  const res = await dbCommand(ctx, plugin, [`${plugin}:list`]);
  failIfFailed(res);
  return parseServiceList(res.stdout);
}

/**
 * Every datastore plugin, installed or not, with its services: `plugin:list` and each plugin's
 * `<p>:list` run together (one command deep, not two), so a plugin that is not installed costs one
 * "is not a dokku command" answer instead of a second round of commands after `plugin:list`.
 * `plugin:list` decides what is installed (enabled); its failure is the op's.
 */
export const databasesOverview: CatalogEntry<"databases.overview"> = {
  async run(ctx) {
    const [listed, ...services] = await Promise.allSettled([listPlugins(ctx), ...dbPlugin.options.map((plugin) => servicesOf(ctx, plugin))]);
    if (listed.status === "rejected") throw listed.reason;
    const installed = new Set(listed.value.filter((p) => p.enabled).map((p) => p.name.replace(/^dokku-/, "")));
    const plugins = dbPlugin.options.map((plugin, i) => {
      if (!installed.has(plugin)) return { plugin, installed: false, services: [], install: installCommand(plugin) };
      const found = services[i]!;
      if (found.status === "rejected") throw found.reason;
      return { plugin, installed: true, services: found.value, install: null };
    });
    return { plugins };
  },
};

export const databasesList: CatalogEntry<"databases.list"> = {
  async run(ctx, { plugin }) {
    return { services: await servicesOf(ctx, plugin) };
  },
};

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
    const argv = [...(noRestart ? ["--no-restart"] : []), `${plugin}:link`, service, app];
    return dbResult(await dbCommand(ctx, plugin, argv), app);
  },
};

export const databasesUnlink: CatalogEntry<"databases.unlink"> = {
  async run(ctx, { plugin, service, app, noRestart }) {
    const argv = [...(noRestart ? ["--no-restart"] : []), `${plugin}:unlink`, service, app];
    return dbResult(await dbCommand(ctx, plugin, argv), app);
  },
};

export const databasesDestroy: CatalogEntry<"databases.destroy"> = {
  async run(ctx, { plugin, service, confirm }) {
    if (service !== confirm) throw new OpFailure("bad_request", "confirm must repeat the service name exactly");
    return dbResult(await dbCommand(ctx, plugin, ["--force", `${plugin}:destroy`, service]));
  },
};
