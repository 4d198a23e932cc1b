import { createHash } from "node:crypto";
import { requireApp, takeFormat, type Command } from "../context.js";
import { Exit, bashPluginReport, err, fail, goPluginReport, info1, sleep, stepMs, verbose, warn } from "../output.js";
import { readState, updateState, versionAtLeast } from "../state.js";
import { deploy } from "./ps.js";

/** apps:report (Go): created-at, deploy source and its metadata, app dir, locked. */
export const appsReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  const fields: Array<[string, string]> = [
    ["app-created-at", String(app.createdAt)],
    ["app-deploy-source", app.deployed ? (app.deploySource ?? "git-push") : ""],
    ["app-deploy-source-metadata", app.deployed ? (app.deploySourceMetadata ?? app.config.GIT_REV ?? "") : ""],
    ["app-dir", `/home/dokku/${name}`],
    ["app-locked", String(app.locked === true)],
  ];
  goPluginReport(name, "app", "app", fields, format, versionAtLeast);
};

/** apps:unlock (Go): warns that a deploy may be running, removes the lock; no lock is an error. */
export const appsUnlock: Command = ({ args }) => {
  const [name, app] = requireApp(args[0]);
  if (!app.locked) fail("Unable to remove deploy lock");
  warn("A deploy may be in progress.");
  warn("Removing the app lock will not stop in progress deploys.");
  updateState((s) => {
    delete s.apps[name]!.locked;
  });
  info1("Deploy lock removed");
};

/** checks:report (bash; JSON from 0.38.0): `none` when nothing is disabled or skipped. */
export const checksReport: Command = ({ args }) => {
  const { format, rest } = takeFormat(args);
  const [name, app] = requireApp(rest[0]);
  bashPluginReport(
    name,
    "checks",
    "checks",
    [
      ["checks-disabled-list", app.checksDisabled || "none"],
      ["checks-skipped-list", app.checksSkipped || "none"],
    ],
    format,
    versionAtLeast,
  );
};

/** checks:enable|disable|skip APP (all process types): one `----->` line, properties rewritten. */
function checksCommand(state: "enable" | "disable" | "skip"): Command {
  return ({ args }) => {
    const [name] = requireApp(args[0]);
    if (args[1]) fail("the simulator sets checks for all process types only");
    updateState((s) => {
      const app = s.apps[name]!;
      delete app.checksDisabled;
      delete app.checksSkipped;
      if (state === "disable") app.checksDisabled = "_all_";
      if (state === "skip") app.checksSkipped = "_all_";
    });
    if (state === "enable") info1(`Enabling zero downtime for app's (${name})`);
    else if (state === "disable") info1(`Disabling zero downtime for app (${name})`);
    else info1(`Skipping zero downtime for app (${name})`);
  };
}

/**
 * git:sync [--build] APP REMOTE [REF]: clones into a new app (or fetches into a deployed one) and
 * points the deploy branch at REF (a full sha is taken as the commit itself), then with --build
 * deploys it. Git's own errors go to /dev/null in Dokku, so an unreachable remote fails with git's
 * exit code 128 and no message; remotes holding "missing" play that part. The deploy source is set
 * only by a build, to `REMOTE#SHA` with the ref resolved (cmd-git-sync in plugins/git/internal-functions).
 */
export const gitSync: Command = async ({ args }) => {
  const build = args.includes("--build");
  const [appArg, remote, ref] = args.filter((a) => a !== "--build");
  const [name, app] = requireApp(appArg);
  if (!remote) fail("Missing GIT_REMOTE parameter");
  if (remote.includes("missing")) throw new Exit(128);
  // the app's own bare repository (DOKKU_ROOT/APP): a fetch from itself, then update-ref to a commit it must still hold
  const own = remote === `/home/dokku/${name}`;
  const held = app.shas ?? (app.config.GIT_REV ? [app.config.GIT_REV] : []);
  if (own && ref !== undefined && !held.includes(ref)) {
    if (app.deployed) verbose(`Fetching remote code for ${name} from ${remote}#${ref}`);
    err(`fatal: ${ref}^{commit}: not a valid SHA1`);
    throw new Exit(128);
  }
  const branchDetected = !app.deployed && ref !== undefined && !/^[0-9a-f]{7,40}$/.test(ref);
  if (!app.deployed) {
    info1(`Cloning ${name} from ${remote}#${ref ?? app.deployBranch ?? "master"}`);
    if (branchDetected) verbose(`Detected branch, setting deploy-branch to ${ref}`);
  } else {
    verbose(`Fetching remote code for ${name} from ${remote}#${ref ?? ""}`);
  }
  await sleep(stepMs());
  const sha =
    ref && /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : createHash("sha1")
          .update(`${remote}#${ref ?? ""}#${Date.now()}`)
          .digest("hex");
  updateState((s) => {
    const a = s.apps[name]!;
    if (branchDetected) a.deployBranch = ref;
    a.ref = sha;
    a.shas = [...new Set([...(a.shas ?? (a.config.GIT_REV ? [a.config.GIT_REV] : [])), sha])];
    if (build) {
      a.deploySource = "git-sync";
      a.deploySourceMetadata = `${remote}#${sha}`;
      a.deployed = true;
      a.config.GIT_REV = sha;
      if (Object.keys(a.scale).length === 0) a.scale = { web: 1 };
    }
  });
  if (!build) return;
  info1(`Cleaning up...`);
  info1(`Building ${name} from herokuish`);
  verbose("-----> Node.js app detected");
  info1(`Releasing ${name}...`);
  await deploy(name, readState().apps[name]!);
};

export const deployCommands: Record<string, Command> = {
  "apps:report": appsReport,
  "apps:unlock": appsUnlock,
  "checks:report": checksReport,
  "checks:enable": checksCommand("enable"),
  "checks:disable": checksCommand("disable"),
  "checks:skip": checksCommand("skip"),
  "git:sync": gitSync,
};
