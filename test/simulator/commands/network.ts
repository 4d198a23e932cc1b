import { requireApp, takeFormat, type Command } from "../context.js";
import { fail, goPluginReport, info2 } from "../output.js";
import { updateState, versionAtLeast } from "../state.js";

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

export const networkCommands: Record<string, Command> = { "network:report": networkReport, "network:set": networkSet };
