import { endOfOptions, requireApp, takeFormat, type Command } from "../context.js";
import { Exit, fail, goPluginReport, info1, info2, out, sleep, stepMs, verbose, warn } from "../output.js";
import { readState, updateState, versionAtLeast, type SimApp } from "../state.js";

function containerId(app: string, proc: string, n: number): string {
  let h = 0;
  for (const c of `${app}/${proc}/${n}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return (h.toString(16) + "a1b2c3d4e5f6").slice(0, 11);
}

function psFields(name: string, app: SimApp): Array<[string, string]> {
  const processes = app.deployed ? Object.values(app.scale).reduce((a, b) => a + b, 0) : 0;
  const fields: Array<[string, string]> = [
    ["deployed", String(app.deployed)],
    ["processes", String(processes)],
    ["running", String(app.deployed && app.running && processes > 0)],
    ["restore", String(app.running || !app.deployed)],
    ["ps-can-scale", "true"],
    ["ps-restart-policy", "on-failure:10"],
    ["ps-computed-procfile-path", "Procfile"],
    ["ps-global-procfile-path", "Procfile"],
    ["ps-procfile-path", ""],
  ];
  if (versionAtLeast("0.38.0")) {
    fields.push(["ps-stop-timeout-seconds", "30"], ["ps-global-stop-timeout-seconds", "30"], ["ps-computed-stop-timeout-seconds", "30"]);
  } else if (versionAtLeast("0.36.0")) {
    fields.push(["stop-timeout-seconds", "30"], ["global-stop-timeout-seconds", "30"], ["computed-stop-timeout-seconds", "30"]);
  }
  if (app.deployed) {
    for (const [proc, count] of Object.entries(app.scale)) {
      for (let i = 1; i <= count; i++) {
        fields.push([`status-${proc}.${i}`, `${app.running ? "running" : "exited"} (CID: ${containerId(name, proc, i)})`]);
      }
    }
  }
  return fields;
}

/** Go ps:report: one block per app, or one app; JSON with --format json (one object per line). */
export const psReport: Command = ({ args }) => {
  const format = args.includes("--format") ? args[args.indexOf("--format") + 1] : undefined;
  const rest = args.filter((a, i) => a !== "--format" && args[i - 1] !== "--format");
  const [appArg] = rest;
  const apps = readState().apps;
  const names = appArg ? [requireApp(appArg)[0]] : Object.keys(apps).sort();
  if (names.length === 0) {
    warn("You haven't deployed any applications yet");
    if (!versionAtLeast("0.35.16")) throw new Exit(1);
    return;
  }
  for (const name of names) {
    const fields = psFields(name, apps[name]!);
    goPluginReport(name, "ps", "ps", fields, format, versionAtLeast);
  }
};

/** Streams deploy-like output, one line at a time, then marks the app running. */
export async function deploy(name: string, app: SimApp): Promise<void> {
  for (const [proc, count] of Object.entries(app.scale).sort()) {
    info1(`Deploying ${proc} (count=${count})`);
    await sleep(stepMs());
    for (let i = 1; i <= count; i++) {
      verbose(`Attempting pre-flight checks (${proc}.${i})`);
      await sleep(stepMs());
      verbose(`Default container check successful (${proc}.${i})`);
    }
  }
  info1("Running post-deploy");
  info1("Creating http nginx.conf");
  verbose("Reloading nginx");
  await sleep(stepMs());
  info1("Shutting down old containers in 60 seconds");
  updateState((s) => {
    const a = s.apps[name];
    if (a) a.running = true;
  });
  if (app.domains.length > 0) {
    info2("Application deployed:");
    for (const d of app.domains) verbose(`http://${d}`);
  }
}

export const psRestart: Command = async ({ args }) => {
  const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
  if (!app.deployed) return warn(`App ${name} has not been deployed`);
  await deploy(name, app);
};

/** ps:start: warns (exit 0) when not deployed or already running; otherwise releases and deploys. */
export const psStart: Command = async ({ args }) => {
  const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
  if (!app.deployed) return warn(`App ${name} has not been deployed`);
  if (app.running) return warn(`App ${name} already running`);
  warn("App has been detected as not running, releasing");
  updateState((s) => {
    const a = s.apps[name];
    if (a) delete a.config.DOKKU_APP_RESTORE;
  });
  await deploy(name, app);
};

/** ps:stop: `-----> Stopping APP` and DOKKU_APP_RESTORE=0 in the env. */
export const psStop: Command = ({ args, flags }) => {
  const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
  if (!app.deployed) return warn(`App ${name} has not been deployed`);
  if (!flags.quiet) info1(`Stopping ${name}`);
  updateState((s) => {
    const a = s.apps[name];
    if (a) {
      a.running = false;
      a.config.DOKKU_APP_RESTORE = "0";
    }
  });
};

/** ps:rebuild: nothing at all (exit 0) for an app never pushed; otherwise a build then a deploy. */
export const psRebuild: Command = async ({ args }) => {
  const [name, app] = requireApp(args.find((a) => !a.startsWith("--")));
  if (!app.deployed) return;
  info1(`Cleaning up...`);
  info1(`Building ${name} from herokuish`);
  // herokuish's own title/indent (gliderlabs/herokuish include/herokuish.bash) start every line
  // with ESC[1G (cursor to column 1); Dokku passes them through as they are.
  out("\u001b[1G-----> Node.js app detected");
  out("\u001b[1G       Installing binaries");
  await sleep(stepMs());
  info1(`Releasing ${name}...`);
  // receive-app builds the deploy branch (plugins/git/receive-app): the commit git:sync pointed it at.
  const built = updateState((s) => {
    const a = s.apps[name]!;
    if (a.ref) a.config.GIT_REV = a.ref;
    return a;
  });
  await deploy(name, built);
};

/**
 * ps:scale APP: show (`-----> Scaling for APP`, `proctype: qty`, `--------: ---`, `web:  1` lines;
 * JSON from 0.38.21) or set (`ps:scale [--skip-deploy] APP [--] web=2 worker=1`).
 */
export const psScale: Command = async ({ args, flags }) => {
  const [options, operands] = endOfOptions(args);
  const { format, rest } = takeFormat(options);
  const skipDeploy = rest.includes("--skip-deploy");
  const positional = [...rest.filter((a) => a !== "--skip-deploy"), ...operands];
  const [name, app] = requireApp(positional[0]);
  const tuples = positional.slice(1);
  if (tuples.length === 0) {
    const rows = Object.entries(app.scale).sort(([a], [b]) => (a < b ? -1 : 1));
    if (format === "json" && versionAtLeast("0.38.21")) {
      return out(JSON.stringify(rows.map(([process_type, quantity]) => ({ process_type, quantity }))));
    }
    if (!flags.quiet) {
      info1(`Scaling for ${name}`);
      out("proctype: qty");
      out("--------: ---");
    }
    for (const [type, n] of rows) out(`${`${type}:`.padEnd(5)} ${n}`);
    return;
  }
  const next: Record<string, number> = {};
  for (const t of tuples) {
    const [type, count] = t.split("=");
    if (!type || !/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(type)) fail(`${type ?? t} is not a valid process name to scale up`);
    if (count === undefined || count === "") fail(`Missing count for process type ${type}`);
    if (!/^\d+$/.test(count)) fail(`Invalid count for process type ${type}`);
    next[type] = Number(count);
  }
  out(`-----> Scaling ${name} processes: ${tuples.join(" ")}`);
  const updated = updateState((s) => {
    const a = s.apps[name]!;
    a.scale = { ...a.scale, ...next };
    return a;
  });
  if (updated.deployed && !skipDeploy) await deploy(name, { ...updated, scale: next });
};

export const psCommands: Record<string, Command> = {
  "ps:report": psReport,
  "ps:restart": psRestart,
  "ps:start": psStart,
  "ps:stop": psStop,
  "ps:rebuild": psRebuild,
  "ps:scale": psScale,
};
