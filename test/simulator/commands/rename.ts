import { requireApp, type Command } from "../context.js";
import { fail, info1, warn } from "../output.js";
import { updateState, type SimApp } from "../state.js";

/**
 * apps:rename and apps:clone (plugins/apps/subcommands.go of dokku/dokku): Go's `flag` parsing,
 * which stops at the first operand, then OLD and NEW. The lines are the Go code's own
 * (LogInfo1Quiet "Renaming/Cloning OLD to NEW", createApp's "Creating NEW...", destroyApp's
 * "Destroying OLD (including all add-ons)"); the triggers' own output (copying settings, the
 * rebuild of a deployed app unless --skip-deploy) is shown as the one rebuild line it starts with.
 */
function parse(args: string[], known: string[]): { flags: Set<string>; old: string | undefined; fresh: string | undefined } {
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length && args[i]!.startsWith("-"); i++) {
    if (!known.includes(args[i]!)) fail(`flag provided but not defined: ${args[i]!.replace(/^-+/, "-")}`, 2);
    flags.add(args[i]!);
  }
  return { flags, old: args[i], fresh: args[i + 1] };
}

const APP_NAME = /^[a-z0-9][a-z0-9.-]*$/;

/** The new app: the old one's settings, created now, with the default vhost of its own name (post-app-clone-setup). */
function copy(app: SimApp, name: string, globalDomain: string): SimApp {
  return { ...structuredClone(app), createdAt: Math.floor(Date.now() / 1000), domains: [`${name}.${globalDomain}`] };
}

function prepare(args: string[], known: string[]) {
  const { flags, old, fresh } = parse(args, known);
  if (!old) fail("Please specify an app to run the command on");
  if (!fresh) fail("Please specify an new app name");
  const [, app] = requireApp(old);
  if (!APP_NAME.test(fresh)) fail("App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens");
  return { flags, old, fresh, app };
}

const rename: Command = ({ args }) => {
  const { flags, old, fresh, app } = prepare(args, ["--skip-deploy"]);
  const taken = updateState((s) => {
    if (s.apps[fresh]) return true;
    s.apps[fresh] = copy(app, fresh, s.globalDomains[0] ?? "dokku.me");
    delete s.apps[old];
    if (s.letsencrypt?.[old]) {
      s.letsencrypt[fresh] = s.letsencrypt[old]!;
      delete s.letsencrypt[old];
    }
    return false;
  });
  if (taken) fail("Name is already taken");
  info1(`Renaming ${old} to ${fresh}`);
  info1(`Creating ${fresh}...`);
  info1(`Destroying ${old} (including all add-ons)`);
  if (app.deployed && !flags.has("--skip-deploy")) info1(`Deploying ${fresh}...`);
};

const clone: Command = ({ args }) => {
  const { flags, old, fresh, app } = prepare(args, ["--skip-deploy", "--ignore-existing"]);
  const taken = updateState((s) => {
    if (s.apps[fresh]) return true;
    s.apps[fresh] = {
      ...copy(app, fresh, s.globalDomains[0] ?? "dokku.me"),
      deployed: app.deployed && !flags.has("--skip-deploy"),
      running: app.deployed && !flags.has("--skip-deploy"),
    };
    return false;
  });
  if (taken) {
    if (flags.has("--ignore-existing")) return warn("Name is already taken");
    fail("Name is already taken");
  }
  info1(`Cloning ${old} to ${fresh}`);
  info1(`Creating ${fresh}...`);
  if (app.deployed && !flags.has("--skip-deploy")) info1(`Deploying ${fresh}...`);
};

export const renameCommands: Record<string, Command> = { "apps:rename": rename, "apps:clone": clone };
