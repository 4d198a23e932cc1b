import { requireApp, type Command } from "../context.js";
import { err, fail, info1, info2, out, verbose, warn } from "../output.js";
import { readState, updateState, type SimService } from "../state.js";
import { backupCommands } from "./datastore-backups.js";
import { dumpCommands } from "./datastore-dumps.js";

/**
 * dokku-postgres and its siblings (redis, mysql, mariadb, mongo share common-functions): list,
 * create, info (`printf "%-20s %-25s"`, no JSON), link, unlink, destroy, exists. The commands exist
 * only while the plugin is installed.
 */
export const LABEL: Record<string, string> = { postgres: "Postgres", redis: "Redis", mysql: "MySQL", mariadb: "MariaDB", mongo: "MongoDB" };
const PORT: Record<string, number> = { postgres: 5432, redis: 6379, mysql: 3306, mariadb: 3306, mongo: 27017 };
/** PLUGIN_DATASTORE_PORTS in each plugin's config (mongo publishes four). */
const DATASTORE_PORTS: Record<string, number[]> = { postgres: [5432], redis: [6379], mysql: [3306], mariadb: [3306], mongo: [27017, 27018, 27019, 28017] };
const ALIAS: Record<string, string> = { postgres: "DATABASE", redis: "REDIS", mysql: "DATABASE", mariadb: "DATABASE", mongo: "MONGO" };
const SERVICE = /^[A-Za-z0-9_-]+$/;

function dsn(plugin: string, name: string, s: SimService): string {
  const host = `dokku-${plugin}-${name.replace(/[_.]/g, "-")}`;
  const db = name.replace(/-/g, "_");
  switch (plugin) {
    case "redis":
      return `redis://:${s.password}@${host}:6379`;
    case "mongo":
      return `mongodb://${name}:${s.password}@${host}:27017/${db}`;
    case "postgres":
      return `postgres://postgres:${s.password}@${host}:5432/${db}`;
    default:
      return `mysql://${plugin}:${s.password}@${host}:${PORT[plugin]}/${db}`;
  }
}

/** verify_service_name in common-functions: a bad name, then a missing service, each fails. */
export function requireService(plugin: string, name: string | undefined): [string, SimService] {
  if (!name || !SERVICE.test(name)) fail("Please specify a valid name for the service. Valid characters are: [A-Za-z0-9_]+");
  const svc = readState().services?.[plugin]?.[name];
  if (!svc) fail(`${LABEL[plugin]} service ${name} does not exist`);
  return [name, svc];
}

/** service_exposed_ports: `-`, or `CONTAINER->HOST ` for each of the plugin's ports (PLUGIN_DATASTORE_PORTS in its config). */
function exposedPorts(plugin: string, s: SimService): string {
  if (!s.exposed) return "-";
  return DATASTORE_PORTS[plugin]!.map((p, i) => `${p}->${s.exposed![i]} `).join("");
}

function printInfo(plugin: string, name: string, s: SimService): void {
  const root = `/var/lib/dokku/services/${plugin}/${name}`;
  const fields: Array<[string, string]> = [
    ["Config dir", `${root}/data`],
    ["Config options", ""],
    ["Data dir", `${root}/data`],
    ["Dsn", dsn(plugin, name, s)],
    ["Exposed ports", exposedPorts(plugin, s)],
    ["Id", "3f2a9c0d".repeat(8)],
    ["Internal ip", "172.17.0.5"],
    ["Initial network", ""],
    ["Links", s.links.length ? `${s.links.join(" ")} ` : "-"],
    ["Post create network", ""],
    ["Post start network", ""],
    ["Service root", root],
    ["Status", s.status],
    ["Version", s.version],
  ];
  info2(`${name} ${plugin} service information`);
  for (const [k, v] of fields) out(`       ${`${k}:`.padEnd(20)} ${v.padEnd(25)}`);
}

/**
 * The linked app's restart (service_link/service_unlink end in `ps:restart`): refused while the app
 * holds a deploy lock, as acquire_app_deploy_lock in plugins/common/functions of dokku/dokku says it.
 */
function restart(app: string): void {
  info1(`Restarting app ${app}`);
  if (readState().apps[app]?.locked) {
    warn(`${app} currently has a deploy lock in place. Exiting...`);
    fail("Run 'apps:unlock' to release the existing deploy lock");
  }
}

function commandsFor(plugin: string): Record<string, Command> {
  const label = LABEL[plugin]!;
  const p = (c: string) => `${plugin}:${c}`;
  return {
    ...backupCommands(plugin),
    ...dumpCommands(plugin),
    // service_port_expose / service_port_unexpose in common-functions
    [p("expose")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [name, svc] = requireService(plugin, args[0]);
      const wanted = DATASTORE_PORTS[plugin]!;
      const ports = args.length > 1 ? args.slice(1) : wanted.map(() => String(20000 + Math.floor(Math.random() * 40000)));
      if (ports.length !== wanted.length) fail(`${wanted.length} ports to be exposed need to be provided in the following order: ${wanted.join(" ")}`);
      if (svc.exposed) fail(`Service ${name} already exposed on port(s) ${svc.exposed.join(" ")}`);
      updateState((s) => void (s.services![plugin]![name]!.exposed = ports));
      info1(`Service ${name} exposed on port(s) [container->host]: ${exposedPorts(plugin, { ...svc, exposed: ports })}`);
    },
    [p("unexpose")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [name] = requireService(plugin, args[0]);
      updateState((s) => void delete s.services![plugin]![name]!.exposed);
      info1(`Service ${name} unexposed`);
    },
    // service_list in common-functions: names under a header since 1.10.0, a `column -t` table before
    [p("list")]: ({ flags }) => {
      const state = readState();
      const all = state.services?.[plugin] ?? {};
      const names = Object.keys(all).sort();
      if (names.length === 0) return warn(`There are no ${label} services`);
      const [major = 0, minor = 0] = (state.plugins?.[plugin]?.version ?? "1.10.0").split(".").map(Number);
      if (major < 1 || (major === 1 && minor < 10)) {
        const rows = names.map((n) => [n, all[n]!.version, all[n]!.status, "-", all[n]!.links.join(" ") || "-"]);
        if (!flags.quiet) rows.unshift(["NAME", "VERSION", "STATUS", "EXPOSED PORTS", "LINKS"]);
        const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const r of rows)
          out(
            r
              .map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c))
              .join("  ")
              .trimEnd(),
          );
        return;
      }
      if (!flags.quiet) info2(`${label} services`);
      for (const n of names) out(n);
    },
    [p("exists")]: ({ args }) => {
      const [name] = requireService(plugin, args[0]);
      info1(`Service ${name} exists`);
    },
    [p("info")]: ({ args }) => {
      const [name, svc] = requireService(plugin, args[0]);
      const flag = args[1];
      if (flag) {
        if (flag !== "--dsn" && flag !== "--status" && flag !== "--links")
          fail(
            "Invalid flag passed, valid flags: --config-dir --config-options --data-dir --dsn --exposed-ports --id --internal-ip --initial-network --links --post-create-network --post-start-network --service-root --status --version",
          );
        return out(flag === "--dsn" ? dsn(plugin, name, svc) : flag === "--status" ? svc.status : svc.links.join(" "));
      }
      printInfo(plugin, name, svc);
    },
    [p("create")]: ({ args }) => {
      const name = args[0];
      if (!name || !SERVICE.test(name)) fail("Please specify a valid name for the service. Valid characters are: [A-Za-z0-9_]+");
      const password = [...Array(16)].map(() => Math.floor(Math.random() * 16).toString(16)).join("");
      const version = { postgres: "postgres:17.2", redis: "redis:7.4.1", mysql: "mysql:8.4.3", mariadb: "mariadb:11.4.4", mongo: "mongo:8.0.4" }[plugin]!;
      const svc: SimService = { password, links: [], status: "running", version };
      const created = updateState((s) => {
        const all = ((s.services ??= {})[plugin] ??= {});
        if (all[name]) return false;
        all[name] = svc;
        return true;
      });
      if (!created) fail(`${label} service ${name} already exists`);
      verbose("Waiting for container to be ready");
      verbose("Creating container database");
      verbose("Securing connection to database");
      info2(`${label} container created: ${name}`);
      printInfo(plugin, name, svc);
    },
    [p("link")]: ({ args, flags }) => {
      const positional = args.filter((a) => !a.startsWith("-"));
      const [name, svc] = requireService(plugin, positional[0]);
      if (!positional[1]) fail("Please specify an app to run the command on");
      const [appName] = requireApp(positional[1]);
      if (svc.links.includes(appName)) fail(`Already linked as ${ALIAS[plugin]}_URL`);
      const noRestart = flags.global.includes("--no-restart") || args.includes("-n") || args.includes("--no-restart");
      const url = dsn(plugin, name, svc);
      updateState((s) => {
        s.services![plugin]![name]!.links.push(appName);
        s.apps[appName]!.config[`${ALIAS[plugin]}_URL`] = url;
      });
      info1(`Setting config vars`);
      verbose(`${ALIAS[plugin]}_URL:  ${url}`);
      if (noRestart) return verbose("Skipping restart of linked app");
      restart(appName);
    },
    [p("unlink")]: ({ args, flags }) => {
      const positional = args.filter((a) => !a.startsWith("-"));
      const [name, svc] = requireService(plugin, positional[0]);
      if (!positional[1]) fail("Please specify an app to run the command on");
      const [appName] = requireApp(positional[1]);
      if (!svc.links.includes(appName)) fail(`Not linked to app ${appName}`);
      updateState((s) => {
        const linked = s.services![plugin]![name]!;
        linked.links = linked.links.filter((a) => a !== appName);
        delete s.apps[appName]!.config[`${ALIAS[plugin]}_URL`];
      });
      info1(`Unsetting ${ALIAS[plugin]}_URL`);
      if (flags.global.includes("--no-restart")) return verbose("Skipping restart of linked app");
      restart(appName);
    },
    [p("destroy")]: ({ args, flags }) => {
      const [name, svc] = requireService(
        plugin,
        args.find((a) => !a.startsWith("-") && a !== "force"),
      );
      const force = flags.force || args.some((a) => a === "-f" || a === "--force" || a === "force");
      if (svc.links.length > 0) fail("Cannot delete linked service");
      if (!force) {
        warn("WARNING: Potentially Destructive Action");
        warn(`This command will destroy ${name} ${label} service.`);
        warn(`To proceed, type "${name}"`);
        process.stdout.write("> ");
        err("");
        fail(`Confirmation did not match ${name}. Aborted.`);
      }
      updateState((s) => {
        delete s.services![plugin]![name];
      });
      info2(`Deleting ${name}`);
      info2("Pausing container");
      verbose("Container paused");
      verbose("Removing container");
      verbose("Removing data");
      info2(`${label} container deleted: ${name}`);
    },
  };
}

export function datastoreCommand(name: string): Command | undefined {
  const plugin = name.split(":")[0]!;
  const installed = readState().plugins?.[plugin];
  if (!(plugin in LABEL) || !installed?.enabled) return undefined;
  // subcommands/exists came before each plugin's first tagged release; before it plugin.toml said 1.0.0
  if (name === `${plugin}:exists` && installed.version === "1.0.0") return undefined;
  return commandsFor(plugin)[name];
}
