import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { relayBundleOptions } from "../scripts/build-relay.js";
import { LIBRARIES } from "./fixtures/relay-libraries-list.js";
import { unitNodeFlags } from "../scripts/stack.js";
import { SIMULATOR, makeSim } from "../test/support/sim.js";
import { benchEdge, unpackRelayArtifact } from "./edge.js";

/**
 * The relay's idle memory, in figures (printed; never pass or fail): the built relay (the artifact,
 * run with its systemd unit's node flags) connected to a local edge against the Dokku simulator,
 * its RSS after IDLE_MS with no op and again once settled (SETTLED_MS: V8's memory reducer first
 * runs some 8-12 s after start and gives back 2-3 MiB of heap), then after one op of each kind a
 * dashboard sends first (a read and a change), beside bare node with the same flags. Quicker than
 * bench:relay-artifact (no install, no 10,000 ops), to weigh one change to what the relay loads at
 * start. Last, the floor: the relay's libraries alone, none of its code (bench/fixtures/relay-libraries.ts),
 * built and run the same way and read after as long; with --by-library, that floor again without
 * each library in turn, which says what each one costs.
 *
 *   npm run bench:relay-idle [-- --by-library]     (goal: 50 MB idle, issue #19)
 */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5_000);
const SETTLED_MS = Math.max(IDLE_MS, 20_000);
const GOAL_MB = 50;
const flags = unitNodeFlags();
const { values: opts } = parseArgs({ options: { "by-library": { type: "boolean", default: false } }, strict: true });

/**
 * The settled RSS, in MiB, of the libraries-only program `floor` (built beside the artifact, whose
 * node_modules it resolves from) run with the unit's flags and `args`; throws when it did not last.
 */
async function floorMiB(floor: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, floor, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  try {
    await sleep(SETTLED_MS);
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${floor} ${args.join(" ")} ended early (${child.exitCode ?? child.signalCode}):\n${stderr}`);
    return rssMiB(child.pid!);
  } finally {
    child.kill();
  }
}

/** Resident memory of process `pid` in MiB (VmRSS), 0 once it is gone. */
function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (n: number) => `${n.toFixed(1)} MiB (${((n * 1048576) / 1e6).toFixed(1)} MB)`;

// Bare node with the unit's flags, idle for as long: the floor no relay can go under.
const bare = execFileSync(
  process.execPath,
  [...flags, "-e", `setTimeout(() => console.log(require("fs").readFileSync("/proc/self/status", "utf8").match(/VmRSS:\\s+(\\d+)/)[1]), ${IDLE_MS})`],
  { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
);

const bench = await benchEdge("relay-idle");
const sim = makeSim();
try {
  const artifact = await unpackRelayArtifact(bench.dir);
  const relay = await bench.relay({
    dokkuBin: SIMULATOR,
    env: { DOCKLIGHT_SIMULATOR: "1", DOKKU_SIM_DIR: sim.dir, DOKKU_SIM_SEED: "demo", DOKKU_SIM_STEP_MS: "0" },
    artifact,
  });
  const pid = relay.child.pid!;
  await sleep(IDLE_MS);
  const idle = rssMiB(pid);
  await sleep(SETTLED_MS - IDLE_MS);
  const settled = rssMiB(pid);
  const get = (path: string) => fetch(`${bench.edge.url}${path}`, { headers: { cookie: bench.cookie } }).then((r) => r.arrayBuffer());
  await get("/hosts/demo");
  await fetch(`${bench.edge.url}/hosts/demo/apps/api/restart`, { method: "POST", headers: { cookie: bench.cookie, origin: bench.edge.url } }).then((r) =>
    r.arrayBuffer(),
  );
  await sleep(IDLE_MS);
  const afterOps = rssMiB(pid);
  await relay.stop();

  // The floor, once the relay is gone (one process at a time: a neighbour's work moves when V8's memory reducer runs).
  const floor = join(dirname(artifact), "relay-libraries.mjs");
  await build({ ...relayBundleOptions(), entryPoints: [join(import.meta.dirname, "fixtures/relay-libraries.ts")], outfile: floor });
  const floorAll = await floorMiB(floor, []);
  const byLibrary: Array<[string, number]> = [];
  if (opts["by-library"]) for (const name of LIBRARIES) byLibrary.push([name, floorAll - (await floorMiB(floor, ["--without", name]))]);

  console.log(`\nbench/relay-idle — the relay artifact as its unit runs it (node ${flags.join(" ")} relay.mjs run), simulator host`);
  console.log(`  bare node, same flags, ${IDLE_MS / 1000} s idle          ${mib(Number(bare) / 1024)}`);
  console.log(
    `  relay, connected, ${IDLE_MS / 1000} s idle, no op yet    ${mib(idle)}  -> ${idle * 1.048576 <= GOAL_MB ? "within" : "OVER"} the ${GOAL_MB} MB goal`,
  );
  console.log(`  relay, connected, ${SETTLED_MS / 1000} s idle, no op yet   ${mib(settled)}  (settled: after V8's memory reducer)`);
  console.log(`  relay, after the dashboard and a restart, ${IDLE_MS / 1000} s idle  ${mib(afterOps)}`);
  console.log(`  its libraries alone, none of its code, ${SETTLED_MS / 1000} s idle  ${mib(floorAll)}  (bench/fixtures/relay-libraries.ts)`);
  for (const [name, cost] of byLibrary)
    console.log(`    of which ${name.padEnd(14)} ${cost.toFixed(1).padStart(5)} MiB  (the floor without it is that much lower)`);
  console.log(`  (the artifact: ${join(artifact)})`);
} finally {
  await bench.stop();
  sim.cleanup();
}
