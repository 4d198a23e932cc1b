import { createHash } from "node:crypto";
import { requireApp, takeFormat, type Command } from "../context.js";
import { err, Exit, fail, goPluginReport, info1, info2, out, verbose } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";

/** The network plugin (Go): plugins/network/{report,subcommands,network}.go of dokku/dokku. */

const PROPS = ["attach-post-create", "attach-post-deploy", "bind-all-interfaces", "initial-network", "static-web-listener", "tld"];

/** ReportSingleApp: app, computed and global values (globals unset here; computed bind-all-interfaces defaults to false). */
export const networkReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const own = app.settings?.network ?? {};
  const fields: Array<[string, string]> = [];
  for (const p of PROPS) {
    fields.push([`network-${p}`, own[p] ?? ""]);
    if (p === "static-web-listener") continue;
    fields.push([`network-computed-${p}`, own[p] ?? (p === "bind-all-interfaces" ? "false" : "")], [`network-global-${p}`, ""]);
  }
  fields.push(["network-web-listeners", app.deployed && app.running ? "172.17.0.5:5000" : ""]);
  goPluginReport(name, "network", "network", fields, format, versionAtLeast);
};

/** CommandSet, then common.CommandPropertySet: `=====> Setting P to V` or `=====> Unsetting P`. */
export const networkSet: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const [property, ...values] = args.slice(1);
  if (!property) fail("No property specified");
  if (!PROPS.includes(property)) fail(`Invalid property specified, valid properties include: ${PROPS.join(", ")}`);
  let value = values[0] ?? "";
  if (property === "bind-all-interfaces" && value === "") value = "false";
  if (property.startsWith("attach-")) {
    for (const n of values) if (n === "host" || n === "bridge") fail(`Invalid network name specified for attach: ${n}`);
    value = values.join(",");
  }
  updateState((s) => {
    const a = s.apps[name]!;
    const network = { ...a.settings?.network };
    if (value) network[property] = value;
    else delete network[property];
    a.settings = { ...a.settings, network };
  });
  info2(value ? `Setting ${property} to ${value}` : `Unsetting ${property}`);
};

/** docker's own networks (docker network ls on a fresh host), with the short ids this simulator gives them. */
const DOCKER_NETWORKS: Record<string, { id: string; driver: string }> = {
  bridge: { id: "1183956ec66a", driver: "bridge" },
  host: { id: "1c98ceffa4d4", driver: "host" },
  none: { id: "4826ed19a910", driver: "null" },
};
/** What getNetworks sets every CreatedAt to (it parses a constant, not docker's value: plugins/network/functions.go). */
const CREATED_AT = "2024-02-25T01:55:24.275184461Z";

const shortId = (name: string) => createHash("sha256").update(`network:${name}`).digest("hex").slice(0, 12);

/** Every network `docker network ls` would list: docker's own, then network:create's (state.networks). */
function allNetworks(): Array<{ name: string; id: string; driver: string; managed: boolean }> {
  const made = (readState().networks ?? []).map((name) => ({ name, id: shortId(name), driver: "bridge", managed: true }));
  return [...Object.entries(DOCKER_NETWORKS).map(([name, n]) => ({ name, ...n, managed: false })), ...made].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** spf13/pflag's answer to a flag a subcommand does not define (flag.ExitOnError): usage on stderr, exit 2. */
function unknownFlag(command: string, flag: string): never {
  err(`unknown flag: ${flag}`);
  err(`Usage of ${command}:`);
  throw new Exit(2);
}

/**
 * CommandList: JSON (0.35.3+) is json.Marshal of []DockerNetwork in Go's map order (here by name),
 * fields as declared, DokkuManaged from 0.38.22 (and --dokku-managed with it); text is "=====>
 * Networks" and one name a line. Before 0.35.3 there is no --format.
 */
export const networkList: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  if (!versionAtLeast("0.35.3") && args.includes("--format")) unknownFlag("network:list", "--format");
  const managedOnly = rest.includes("--dokku-managed");
  if (managedOnly && !versionAtLeast("0.38.22")) unknownFlag("network:list", "--dokku-managed");
  const shown = allNetworks().filter((n) => !managedOnly || n.managed);
  if (format === "json") {
    const withManaged = versionAtLeast("0.38.22");
    const json = shown.map((n) => ({
      CreatedAt: CREATED_AT,
      ...(withManaged ? { DokkuManaged: n.managed } : {}),
      Driver: n.driver,
      ID: n.id,
      Internal: false,
      IPv6: false,
      Labels: n.managed ? { "com.dokku.network-name": n.name } : {},
      Name: n.name,
      Scope: "local",
    }));
    return out(JSON.stringify(json));
  }
  info2("Networks");
  for (const n of shown) out(n.name);
};

/** CommandCreate: docker network create's refusal after "Unable to create network:". */
export const networkCreate: Command = ({ args }) => {
  const name = args[0] ?? "";
  info1(`Creating network ${name}`);
  if (!name) fail("Unable to create network: docker: 'docker network create' requires 1 argument");
  if (allNetworks().some((n) => n.name === name)) fail(`Unable to create network: Error response from daemon: network with name ${name} already exists`);
  updateState((s) => void (s.networks = [...(s.networks ?? []), name]));
};

/** CommandDestroy: without --force it asks on the terminal (here: no answer on stdin, as the relay gives none). */
export const networkDestroy: Command = ({ args, flags }) => {
  const name = args.filter((a) => a !== "--force")[0] ?? "";
  if (!flags.force && !args.includes("--force")) {
    for (const line of ["WARNING: Potentially Destructive Action", `This command will destroy network ${name}.`, `To proceed, type "${name}"`])
      err(` !     ${line}`);
    process.stdout.write("> ");
    fail("EOF");
  }
  info1(`Destroying network ${name}`);
  const found = allNetworks().find((n) => n.name === name);
  if (!found) fail(`Unable to destroy network: Error response from daemon: network ${name} not found`);
  if (name in DOCKER_NETWORKS) fail(`Unable to destroy network: Error response from daemon: ${name} is a pre-defined network and cannot be removed`);
  const using = Object.entries(readState().apps).filter(([, a]) => Object.values(a.settings?.network ?? {}).some((v) => v.split(",").includes(name)));
  if (using.length > 0 && using.some(([, a]) => a.running))
    fail(`Unable to destroy network: Error response from daemon: error while removing network: network ${name} id ${found.id} has active endpoints`);
  updateState((s) => void (s.networks = (s.networks ?? []).filter((n) => n !== name)));
};

/** CommandExists: "-----> Network exists", or "Network does not exist" (exit 1). */
export const networkExists: Command = ({ args }) => {
  if (!args[0]) fail("No network name specified");
  if (!allNetworks().some((n) => n.name === args[0])) fail("Network does not exist");
  info1("Network exists");
};

/** CommandInfo (0.35.3+; before, it prints nothing): a 16-column text block (10 before 0.38.22), or one JSON object. */
export const networkInfo: Command = ({ args }) => {
  if (!versionAtLeast("0.35.3")) return;
  const { format = "text", rest } = takeFormat(args);
  if (!rest[0]) fail("No network name specified");
  if (format !== "json" && format !== "text") fail("Invalid format specified, use either text or json");
  const n = allNetworks().find((x) => x.name === rest[0]);
  if (!n) fail("Network does not exist");
  const managed = versionAtLeast("0.38.22");
  if (format === "json") {
    const labels = n.managed ? { "com.dokku.network-name": n.name } : {};
    return out(
      JSON.stringify({
        CreatedAt: CREATED_AT,
        ...(managed ? { DokkuManaged: n.managed } : {}),
        Driver: n.driver,
        ID: n.id,
        Internal: false,
        IPv6: false,
        Labels: labels,
        Name: n.name,
        Scope: "local",
      }),
    );
  }
  const w = managed ? 16 : 10;
  info2(`${n.name} network information`);
  verbose(`${"ID:".padEnd(w)}${n.id}`);
  verbose(`${"Name:".padEnd(w)}${n.name}`);
  verbose(`${"Driver:".padEnd(w)}${n.driver}`);
  verbose(`${"Scope:".padEnd(w)}local`);
  if (managed) verbose(`${"Dokku managed:".padEnd(w)}${n.managed}`);
};

export const networkCommands: Record<string, Command> = {
  "network:report": networkReport,
  "network:set": networkSet,
  "network:list": networkList,
  "network:create": networkCreate,
  "network:destroy": networkDestroy,
  "network:exists": networkExists,
  "network:info": networkInfo,
};
