import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Proc } from "../scripts/stack.js";
import { makeSim, SIMULATOR } from "../test/support/sim.js";
import { FRESH_MS } from "../protocol/ops/spec.js";
import { benchEdge } from "./edge.js";
import { percentile } from "./stats.js";

/**
 * What each page costs when every `dokku` call takes as long as on a real host: the local stack
 * (wrangler dev + a relay) over the simulator with DOKKU_SIM_LATENCY_MS (300 ms by default; a
 * real call is a bash program costing 0.3–1 s). For each page, three visits:
 * - uncached: the edge's read cache empty (the relay is restarted first: a relay that connects
 *   clears its host's cache);
 * - cached: the same page again at once (every read within its freshness);
 * - stale: the same page once every read is past its freshness (shown at once, refreshed behind).
 * For each: time to the first byte of the body and to the last; for the uncached visit the dokku
 * calls it made and the longest run of them that ran one after another; the calls the cached and
 * the stale visits made. Medians of BENCH_REPS (3) rounds. Prints figures; never passes or fails.
 *
 *   npm run bench:pages        (DOKKU_SIM_LATENCY_MS=300 BENCH_REPS=3)
 */
const LATENCY_MS = process.env.DOKKU_SIM_LATENCY_MS ?? "300";
const LATENCY_MS_N = Number(LATENCY_MS);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const APP = "api";
const app = `/hosts/demo/apps/${APP}`;
const PAGES: Array<[name: string, path: string]> = [
  ["dashboard", "/hosts/demo"],
  ["app overview", app],
  ["app config", `${app}/config`],
  ["app domains", `${app}/domains`],
  ["app TLS", `${app}/tls`],
  ["app deploy", `${app}/deploy`],
  ["app logs", `${app}/logs`],
  ["app history", `${app}/history`],
  ["databases", "/hosts/demo/databases"],
  ["plugins", "/hosts/demo/plugins"],
  ["history", "/hosts/demo/history"],
  ["hosts", "/hosts"],
];

/** Wall-clock ms since the epoch with sub-ms precision, comparable with the simulator's call log. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Visit {
  status: number;
  /** ms from the request to the first chunk of the body. */
  ttfb: number;
  /** ms from the request to the end of the body. */
  total: number;
  start: number;
  end: number;
}

interface Call {
  start: number;
  end: number;
  argv: string[];
}

/** The simulator's call log (`START END ARGV-JSON` per line, see test/simulator/cli.ts). */
function readCalls(file: string): Call[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [start, end, ...rest] = line.split(" ");
      return { start: Number(start), end: Number(end), argv: JSON.parse(rest.join(" ")) as string[] };
    });
}

/**
 * The most calls that ran one after another (each starting after the one before it ended): the
 * longest chain of non-overlapping intervals, taken greedily by earliest end.
 */
function longestChain(calls: Call[]): number {
  let n = 0;
  let last = -Infinity;
  for (const c of [...calls].sort((a, b) => a.end - b.end)) {
    if (c.start >= last) {
      n++;
      last = c.end;
    }
  }
  return n;
}

/** The longest one of the calls (ms), 0 for none: what a page whose reads all run together costs at least. */
const slowest = (calls: Call[]) => Math.max(0, ...calls.map((c) => c.end - c.start));

const bench = await benchEdge("pages");
const { edge, cookie, dir } = bench;
const sim = makeSim();
const callLog = join(dir, "dokku-calls.log");
writeFileSync(callLog, "");
let relay: Proc | undefined;

/** (Re)start the relay and wait until it is connected: its hello empties the hub's read cache. */
async function freshRelay(): Promise<void> {
  await relay?.stop();
  relay = await bench.relay({
    dokkuBin: SIMULATOR,
    env: { ...(sim.env as Record<string, string>), DOKKU_SIM_LATENCY_MS: LATENCY_MS, DOKKU_SIM_CALL_LOG: callLog, LOG_LEVEL: "warn" },
  });
}

async function visit(path: string): Promise<Visit> {
  const start = now();
  const res = await fetch(`${edge.url}${path}`, { headers: { cookie }, redirect: "manual" });
  const reader = res.body!.getReader();
  let first: number | null = null;
  for (;;) {
    const { done } = await reader.read();
    first ??= now();
    if (done) break;
  }
  const end = now();
  return { status: res.status, ttfb: first - start, total: end - start, start, end };
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const ms = (x: number) => `${Math.round(x)} ms`;

try {
  await freshRelay();
  // Warm the isolate, the hub, the relay and the simulator's bundle; not measured.
  for (const [, path] of PAGES) await visit(path);

  const visits = new Map<string, Array<{ uncached: Visit; cached: Visit; stale: Visit }>>(PAGES.map(([name]) => [name, []]));
  for (let rep = 1; rep <= REPS; rep++) {
    for (const [name, path] of PAGES) {
      await freshRelay();
      await sleep(500); // the relay's own start-up calls (dokku version) are over
      const uncached = await visit(path);
      const cached = await visit(path);
      // Every read the uncached visit stored is past its freshness by then (and within SERVE_STALE_MS).
      await sleep(Math.max(0, uncached.end + FRESH_MS + 500 - now()));
      const stale = await visit(path);
      await sleep(LATENCY_MS_N * 2 + 500); // the refresh it started ends before the next page
      visits.get(name)!.push({ uncached, cached, stale });
      console.error(`round ${rep}/${REPS}: ${name} ${ms(uncached.total)} / ${ms(cached.total)} / ${ms(stale.total)}`);
    }
  }
  await sleep(2000); // calls still running when a page answered write their line when they exit

  const calls = readCalls(callLog);
  const within = (from: number, to: number) => calls.filter((c) => c.start >= from && c.start < to);
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const [name, path] of PAGES) {
    const vs = visits.get(name)!;
    const made = vs.map(({ uncached, cached }) => within(uncached.start, cached.start));
    const madeCached = vs.map(({ cached, stale }) => within(cached.start, stale.start));
    const madeStale = vs.map(({ stale }) => within(stale.start, stale.end + LATENCY_MS_N * 2 + 400));
    rows.push([
      name,
      ms(median(vs.map((v) => v.uncached.ttfb))),
      ms(median(vs.map((v) => v.uncached.total))),
      ms(median(vs.map((v) => v.cached.total))),
      ms(median(vs.map((v) => v.stale.total))),
      String(median(made.map((m) => m.length))),
      String(median(made.map(longestChain))),
      ms(median(made.map(slowest))),
      median(vs.map((v, i) => (slowest(made[i]!) > 0 ? v.uncached.total / slowest(made[i]!) : 0))).toFixed(2),
      String(median(madeCached.map((m) => m.length))),
      String(median(madeStale.map((m) => m.length))),
    ]);
    const statuses = [...new Set(vs.flatMap((v) => [v.uncached.status, v.cached.status, v.stale.status]))];
    if (statuses.some((s) => s !== 200)) notes.push(`${name} (${path}) answered ${statuses.join(", ")}`);
    const commands = [...new Set(made.flat().map((c) => c.argv.find((a) => !a.startsWith("--")) ?? ""))];
    notes.push(`${name}: ${commands.join(" ") || "no dokku calls"}`);
  }

  const head = [
    "page",
    "TTFB",
    "uncached",
    "cached",
    "stale",
    "dokku calls",
    "one after another",
    "slowest call",
    "uncached ÷ slowest",
    "calls on a cached visit",
    "calls behind a stale visit",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nbench/pages — DOKKU_SIM_LATENCY_MS=${LATENCY_MS}, medians of ${REPS}, loopback, ${new Date().toISOString()}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  console.log("\nTTFB: time to the first byte of the page on an uncached visit. Uncached, cached, stale: time to its last byte.");
  console.log("Uncached: the edge's read cache empty; cached: the same page again at once; stale: again once its reads are past their freshness");
  console.log(
    "(shown at once; the calls behind it refresh the cache). One after another: the longest chain of calls each starting after the previous one ended.",
  );
  console.log(
    "Slowest call: the longest dokku call of the uncached visit (the simulator's latency plus its own start); uncached ÷ slowest: the page's cost in those.",
  );
  console.log("Only the page's own request is timed (not the requests its htmx makes after load, e.g. the log stream).");
  console.log(`\nDokku commands per page (uncached):\n${notes.map((n) => `  ${n}`).join("\n")}`);
} finally {
  await relay?.stop();
  await bench.stop();
  sim.cleanup();
}
