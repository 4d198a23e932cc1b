import { requireApp, type Command } from "../context.js";
import { err, fail, info1, info2, out, warn } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";

const NO_APPS = "You haven't deployed any applications yet";
/** Dokku's strict app-name rule (0.38.2+); older versions are laxer, the simulator is always strict. */
const APP_NAME = /^[a-z0-9][a-z0-9.-]*$/;

export const appsList: Command = ({ args, flags }) => {
  const names = Object.keys(readState().apps).sort();
  const format = args.includes("--format") ? args[args.indexOf("--format") + 1] : undefined;
  if (format === "json" && versionAtLeast("0.38.21")) return out(JSON.stringify(names));
  if (!flags.quiet) info2("My Apps");
  if (names.length === 0) return warn(NO_APPS);
  for (const n of names) out(n);
};

/** apps:create: `-----> Creating APP...`, then the domains plugin's post-create line. */
export const appsCreate: Command = ({ args, flags }) => {
  const name = args[0];
  if (!name) fail("Please specify an app to run the command on");
  if (versionAtLeast("0.38.2") ? !APP_NAME.test(name) : !/^[a-z0-9][^/:_A-Z]*$/.test(name)) {
    fail(
      versionAtLeast("0.38.2")
        ? "App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens"
        : "App name must begin with lowercase alphanumeric character, and cannot include uppercase characters, colons, or underscores",
    );
  }
  const created = updateState((s) => {
    if (s.apps[name]) return false;
    s.apps[name] = {
      createdAt: Math.floor(Date.now() / 1000),
      deployed: false,
      running: false,
      scale: {},
      config: {},
      domains: [`${name}.${s.globalDomains[0] ?? "dokku.me"}`],
    };
    return true;
  });
  if (!created) fail("Name is already taken");
  if (!flags.quiet) info1(`Creating ${name}...`);
  info1("Creating new app virtual host file...");
};

/** apps:destroy: needs --force (global or subcommand) when stdin is not a terminal. */
export const appsDestroy: Command = ({ args, flags }) => {
  const [name] = requireApp(args.find((a) => !a.startsWith("--")));
  if (!flags.force && !args.includes("--force")) {
    warn("WARNING: Potentially Destructive Action");
    warn(`This command will destroy app ${name}.`);
    warn(`To proceed, type "${name}"`);
    process.stdout.write("> ");
    err("");
    fail("EOF");
  }
  updateState((s) => {
    delete s.apps[name];
    if (s.letsencrypt) delete s.letsencrypt[name];
  });
  info1(`Destroying ${name} (including all add-ons)`);
  info1("Cleaning up...");
  info1("Retiring old containers and images");
};

export const appsExists: Command = ({ args }) => {
  requireApp(args[0]);
};

export const appsCommands: Record<string, Command> = {
  "apps:list": appsList,
  apps: appsList,
  "apps:create": appsCreate,
  "apps:destroy": appsDestroy,
  "apps:exists": appsExists,
};
