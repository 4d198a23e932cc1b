import { execFileSync, spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { descendantsOf } from "../relay/process/process-tree.js";
import { run } from "../relay/process/run.js";
import { buildRelay, formatByDependency } from "../scripts/build-relay.js";
import { ROOT } from "../scripts/stack.js";
import { newInstallCommand } from "../scripts/host.js";
import { installScript, layout, NODE_MODULES, runInstallCommand, simulatorSettings } from "../test/support/installer.js";
import { makeSim } from "../test/support/sim.js";
import { benchEdge } from "./edge.js";
import { fmt, percentile } from "./stats.js";

/**
 * The relay as an artifact, in figures (printed; never pass or fail): its size on the host, the
 * time from the one install command to "connected", and the relay's start time and idle memory
 * when run from the artifact versus today's `tsx relay/cli/main.ts`. Against a local edge (wrangler
 * dev), installing under a temp prefix with --modules-from (this machine cannot download
 * better-sqlite3's prebuilt binary).
 *
 *   npm run bench:relay-artifact        (BENCH_N=5 starts of each by default)
 */
const N = Number(process.env.BENCH_N ?? 5);
const IDLE_MS = 5_000;
/** Ops run against one relay to see whether its memory stays flat. */
const OPS = Number(process.env.BENCH_OPS ?? 10_000);
/** Ops after which the relay counts as warm: memory read here and at the end tells warm-up from growth. */
const WARM_UP = Math.min(1_000, Math.floor(OPS / 10));

const built = await buildRelay();
console.log("\nthe bundle (relay.mjs and its chunks) by dependency (bytes esbuild kept of each)");
for (const line of formatByDependency(built.byDependency)) console.log(line);
const bench = await benchEdge("relay-artifact");
const sim = makeSim();
const prefix = mkdtempSync(join(tmpdir(), "docklight-bench-prefix-"));
const p = layout(prefix);
const kib = (path: string) => Number(execFileSync("du", ["-sk", path], { encoding: "utf8" }).split("\t")[0]);

try {
  // The command the Hosts page shows (its one-time code traded for the token on the way), with this bench's prefix.
  const { command } = await newInstallCommand(bench.edge.url, bench.cookie, "demo");
  const t0 = Date.now();
  const install = await runInstallCommand(command, ["--prefix", prefix, "--modules-from", NODE_MODULES, ...simulatorSettings(sim)]);
  const installMs = Date.now() - t0;
  if (install.exitCode !== 0) throw new Error(`install failed:\n${install.stdout}${install.stderr}`);
  const connectedMs = (JSON.parse(readFileSync(join(p.state, "relay.status.json"), "utf8")) as { since: number }).since - t0;
  const release = join(p.home, "current/");
  const tgz = readFileSync(join(ROOT, "public/relay/latest.json"), "utf8");
  const { size } = JSON.parse(tgz) as { size: number };

  console.log("\nInstall (the Hosts page's command: curl EDGE/install.sh | sh, --code; with --prefix, --modules-from)");
  console.log(`  download (tarball)                ${(size / 1024).toFixed(0)} KiB`);
  console.log(`  on the host (du of the prefix)    ${kib(prefix)} KiB`);
  const bundle = readdirSync(release).filter((f) => f.endsWith(".mjs"));
  const bundleKiB = bundle.reduce((sum, f) => sum + statSync(join(release, f)).size, 0) / 1024;
  console.log(`    relay.mjs and its ${bundle.length - 1} chunks     ${bundleKiB.toFixed(0)} KiB`);
  console.log(`    node_modules (better-sqlite3)   ${kib(join(release, "node_modules"))} KiB`);
  console.log(`  command start -> relay connected  ${fmt(connectedMs)}`);
  console.log(`  command start -> command done     ${fmt(installMs)}  (includes the installer's 1 s check that the edge kept the relay)`);

  const security = await run("systemd-analyze", ["security", "--offline=true", p.unit], { timeoutMs: 30_000 }).catch(() => null);
  const exposure = /Overall exposure level for \S+: ([\d.]+ \S+)/.exec(security?.stdout ?? "")?.[1];
  console.log(
    `  systemd unit exposure             ${exposure ?? "(systemd-analyze not available)"}  (systemd-analyze security --offline; 0 safest, 10 least safe)`,
  );

  // Each start below connects as the same host and would replace the installed relay: stop it.
  process.kill(Number(readFileSync(p.pidFile, "utf8")), "SIGTERM");
  const env = { ...process.env, ...(parseEnv(readFileSync(p.envFile, "utf8")) as Record<string, string>) };
  // As the installed unit starts it: the same node flags (ExecStart=NODE FLAGS… relay.mjs run).
  const execStart = /^ExecStart=\S+ (.*?)\s*\S+relay\.mjs run$/m.exec(readFileSync(p.unit, "utf8"));
  if (!execStart) throw new Error(`no ExecStart line in ${p.unit}`);
  const nodeFlags = execStart[1]!.split(/\s+/).filter(Boolean);
  const artifact = await starts(process.execPath, [...nodeFlags, p.relay, "run"], env);
  const checkout = await starts(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "relay/cli/main.ts"), "--simulator"], env);
  const cli = async (cmd: string, argv: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < N; i++) ms.push((await run(cmd, argv, { timeoutMs: 30_000 })).durationMs);
    return percentile(
      ms.sort((a, b) => a - b),
      50,
    );
  };

  console.log(`\nRelay start, spawn -> "connected to the edge" (median of ${N}; min) and RSS after ${IDLE_MS / 1000} s idle (median; all its processes)`);
  console.log(
    `  artifact  node relay.mjs run        ${fmt(artifact.startMs)} (min ${fmt(artifact.minMs)})   ${artifact.rssMiB.toFixed(1)} MiB in ${artifact.processes} process(es)  (node ${nodeFlags.join(" ")}, as the unit runs it)`,
  );
  console.log(
    `  checkout  tsx relay/cli/main.ts         ${fmt(checkout.startMs)} (min ${fmt(checkout.minMs)})   ${checkout.rssMiB.toFixed(1)} MiB in ${checkout.processes} process(es)`,
  );
  console.log(
    `  --version: artifact ${fmt(await cli(process.execPath, [p.relay, "--version"]))}, checkout ${fmt(await cli(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "relay/cli/main.ts"), "--version"]))} (median)`,
  );

  const steady = await overOps(process.execPath, [...nodeFlags, p.relay, "run"], env);
  const signed = (d: number) => `${d >= 0 ? "+" : ""}${d.toFixed(1)} MiB`;
  console.log(
    `\nThe artifact's RSS over ${OPS.toLocaleString("en")} ops (relay.ping through the edge, 8 at a time), each reading after ${IDLE_MS / 1000} s idle`,
  );
  console.log(
    `  before ${steady.before.toFixed(1)} MiB, after ${steady.after.toFixed(1)} MiB: ${signed(steady.after - steady.before)} (${fmt(steady.ms)} for the ops)`,
  );
  console.log(
    `    the first ${WARM_UP.toLocaleString("en")} ops (warm-up: code compiled on first use, SQLite's page cache filling) ${signed(steady.warm - steady.before)}`,
  );
  console.log(`    the next ${(OPS - WARM_UP).toLocaleString("en")} ops (growth that would go on: a leak) ${signed(steady.after - steady.warm)}`);
} finally {
  await installScript(["--prefix", prefix, "--uninstall", "--purge"]);
  await bench.stop();
  sim.cleanup();
  rmSync(prefix, { recursive: true, force: true });
}

/** Resident memory of a process, in KiB (VmRSS in /proc/PID/status), 0 once it is gone. */
function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Until a relay started as `cmd` logs "connected to the edge"; rejects with its output if it exits first. */
function connected(child: ChildProcessByStdio<null, Readable, Readable>, cmd: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("connected to the edge")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`${cmd} exited (${code}) before connecting:\n${out}`)));
  });
}

/** Start the relay once and read its RSS when idle, again after WARM_UP ops, and after OPS ops in all (the host page runs relay.ping). */
async function overOps(cmd: string, argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  try {
    await connected(child, cmd);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const before = rssKiB(child.pid!) / 1024;
    const t = performance.now();
    const opsUpTo = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next++ < count) {
            const res = await fetch(`${bench.edge.url}/hosts/demo/host`, { headers: { cookie: bench.cookie } });
            await res.arrayBuffer();
          }
        }),
      );
    };
    await opsUpTo(WARM_UP);
    let ms = performance.now() - t;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const warm = rssKiB(child.pid!) / 1024;
    const t2 = performance.now();
    await opsUpTo(OPS - WARM_UP);
    ms += performance.now() - t2;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { before, warm, after: rssKiB(child.pid!) / 1024, ms };
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
}

/** Start a relay N times: time to its "connected" log line, and the RSS of its process tree once idle. */
async function starts(cmd: string, argv: string[], env: NodeJS.ProcessEnv) {
  const times: number[] = [];
  const rss: number[] = [];
  let processes = 0;
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    await connected(child, cmd);
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const tree = [child.pid!, ...descendantsOf(child.pid!)];
    processes = tree.length;
    rss.push(tree.reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024);
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
  times.sort((a, b) => a - b);
  return {
    startMs: percentile(times, 50),
    minMs: times[0]!,
    rssMiB: percentile(
      rss.sort((a, b) => a - b),
      50,
    ),
    processes,
  };
}
