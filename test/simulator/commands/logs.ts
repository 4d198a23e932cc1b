import { requireApp, type Command } from "../context.js";
import { fail, info2, out, sleep, warn } from "../output.js";

/**
 * `logs APP [-n N] [-t] [-p TYPE] [-q]`: lines `\e[36m<RFC3339Nano>Z app[web.1]:\e[0m <message>`,
 * the colour cycling per container; `-t` follows until killed. $DOKKU_SIM_LOG_MS and
 * $DOKKU_SIM_LOG_BATCH set how fast a followed log grows (tests use them to produce a flood).
 */
const COLOURS = [36, 33, 32, 35, 34];

function logLine(containers: string[], i: number, quiet: boolean, at = Date.now()): string {
  const k = i % containers.length;
  const c = containers[k]!;
  const msg = i % 7 === 3 ? `GET /health 200 ${(i * 13) % 90}ms "curl/8.5.0" ünïcode ✓` : `request ${i} handled in ${(i * 7) % 50}ms`;
  if (quiet) return msg;
  const ts = `${new Date(at).toISOString().slice(0, 19)}.${String(i % 1_000_000_000).padStart(9, "0")}Z`;
  return `\u001b[${COLOURS[k % COLOURS.length]}m${ts} app[${c}]:\u001b[0m ${msg}`;
}

export const logs: Command = async ({ args }) => {
  const opt = (short: string, long: string) => {
    const i = args.findIndex((a) => a === short || a === long);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const follow = args.includes("-t") || args.includes("--tail");
  const quiet = args.includes("-q") || args.includes("--quiet");
  const num = Number(opt("-n", "--num") ?? 100);
  const proc = opt("-p", "--ps");
  const skip = new Set<number>();
  args.forEach((a, i) => {
    if (["-n", "--num", "-p", "--ps"].includes(a)) skip.add(i + 1);
  });
  const [name, app] = requireApp(args.find((a, i) => !a.startsWith("-") && !skip.has(i)));
  if (!Number.isInteger(num) || num < 0) fail(`invalid argument "${opt("-n", "--num")}" for "-n, --num" flag: strconv.ParseInt: parsing: invalid syntax`, 1);
  // CommandDefault in plugins/logs/subcommands.go of dokku/dokku: `App X has not been deployed`
  // before any scheduler runs, through LogFailWithError (plugins/common/log.go): ` !     ` on stderr, exit 1.
  if (!app.deployed) fail(`App ${name} has not been deployed`);
  const containers = Object.entries(app.scale)
    .filter(([type]) => !proc || type === proc)
    .flatMap(([type, n]) => Array.from({ length: n }, (_, i) => `${type}.${i + 1}`));
  if (containers.length === 0) return;
  const history = 300;
  for (let i = Math.max(0, history - num); i < history; i++) out(logLine(containers, i, quiet, Date.now() - (history - i) * 1000));
  if (!follow) return;
  const every = Number(process.env.DOKKU_SIM_LOG_MS ?? 500);
  const batch = Number(process.env.DOKKU_SIM_LOG_BATCH ?? 1);
  for (let i = history; ;) {
    const lines: string[] = [];
    for (let b = 0; b < batch; b++) lines.push(logLine(containers, i++, quiet));
    process.stdout.write(`${lines.join("\n")}\n`);
    await sleep(Math.max(1, every));
  }
};

/**
 * logs:failed APP: the header on stdout (GetFailedLogs in plugins/logs/logs.go), then the
 * scheduler's findings (scheduler-logs-failed in plugins/scheduler-docker-local): a warning on
 * stderr and exit 0 when there is no failed container. A deployed app that is not running has one
 * in the demo.
 */
export const logsFailed: Command = ({ args, flags }) => {
  if (!args[0]) fail("logs:failed requires an app or --all");
  const [name, app] = requireApp(args[0]);
  if (!flags.quiet) info2(`${name} failed deploy logs`);
  if (!app.deployed || app.running) return warn("No failed containers found");
  out(`\u001b[31mError: Cannot find module '/app/worker.js'\u001b[0m`);
  out("    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)");
};

export const logsCommands: Record<string, Command> = { logs, "logs:failed": logsFailed };
