import { requireApp, takeFormat, type Command } from "../context.js";
import { bashPluginReport, fail, info1, info2, verbose, warn } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";

const DOMAIN = /^[a-z0-9.*_-]*[a-z0-9*_-]$/;

export const domainsReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const state = readState();
  if (rest[0] === "--global") {
    info2("Global domains information");
    return verbose(`${"Domains global enabled:".padEnd(30)} ${String(state.globalDomains.length > 0).padEnd(25)}`);
  }
  // Without an app: every app's block in turn (bash reports loop over the apps).
  const names = rest[0] ? [requireApp(rest[0])[0]] : Object.keys(state.apps).sort();
  if (names.length === 0) return warn("You haven't deployed any applications yet");
  for (const name of names) {
    const app = state.apps[name]!;
    bashPluginReport(
      name,
      "domains",
      "domains",
      [
        ["domains-app-enabled", String(app.domains.length > 0)],
        ["domains-app-vhosts", app.domains.join(" ")],
        ["domains-global-enabled", String(state.globalDomains.length > 0)],
        ["domains-global-vhosts", state.globalDomains.join(" ")],
      ],
      format,
      versionAtLeast,
    );
  }
};

/** The post-*-update trigger: a deployed app gets its nginx config rebuilt. */
export function rebuildProxy(name: string): void {
  const app = readState().apps[name];
  if (!app?.deployed) return;
  info1("Creating http nginx.conf");
  verbose("Reloading nginx");
}

export const domainsAdd: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const domains = args.slice(1).map((d) => d.toLowerCase());
  if (domains.length === 0) fail("Please specify a domain name. Usage: dokku <app>  <domain> [<domain> ...]");
  for (const d of domains) if (!DOMAIN.test(d)) fail(`${d} is invalid. exiting...`);
  const added = updateState((s) => {
    const app = s.apps[name]!;
    return domains.map((d) => (app.domains.includes(d) ? false : (app.domains.push(d), true)));
  });
  domains.forEach((d, i) => info1(added[i] ? `Added ${d} to ${name}` : `Skipping: ${d} already added to ${name}`));
  rebuildProxy(name);
};

export const domainsRemove: Command = ({ args }) => {
  const [name] = requireApp(args[0]);
  const domains = args.slice(1);
  if (domains.length === 0) fail("Please specify a domain name. Usage: dokku <app>  <domain> [<domain> ...]");
  updateState((s) => {
    const app = s.apps[name]!;
    app.domains = app.domains.filter((d) => !domains.includes(d));
  });
  for (const d of domains) info1(`Removed ${d} from ${name}`);
  rebuildProxy(name);
};

export const domainsCommands: Record<string, Command> = {
  "domains:report": domainsReport,
  "domains:add": domainsAdd,
  "domains:remove": domainsRemove,
};
