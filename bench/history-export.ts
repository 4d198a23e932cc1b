import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_FRAME_BYTES } from "../protocol/frames.js";
import { descendantsOf } from "../relay/process/process-tree.js";
import { startRelay, unitNodeFlags, type Proc } from "../scripts/stack.js";
import { seedHistory } from "../test/support/history.js";
import { makeSim, SIMULATOR } from "../test/support/sim.js";
import { benchEdge, unpackRelayArtifact } from "./edge.js";

/**
 * An export of BENCH_ROWS (100,000) history rows through the local stack (wrangler dev + a relay):
 * for CSV and JSON read as fast as the client can, and for CSV read by a slow client
 * (BENCH_SLOW_MBPS, 8 MB/s), beside a 10,000-row export (memory that does not grow with the file
 * is bounded): the time, the file's size, how many pages the relay sent, and the resident memory
 * (RSS, sampled every 20 ms) of the relay's Node process and of workerd (which runs both the Worker
 * and the HostHub locally): before the download, its peak during, and the growth. An unmeasured
 * export first warms both sides and lets their heaps reach their working size.
 * Each row carries BENCH_OUTPUT_CHARS (600) characters of output. The relay is the built artifact
 * (relay.mjs, as its unit runs it). Prints figures; never passes or fails.
 *
 *   npm run bench:history-export
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const OUTPUT_CHARS = Number(process.env.BENCH_OUTPUT_CHARS ?? 600);
const SLOW_MBPS = Number(process.env.BENCH_SLOW_MBPS ?? 8);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Resident memory of a process in bytes (VmRSS), 0 once it is gone. */
function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The deepest process under `root` whose command line matches `what`: the real one behind a wrapper (tsx runs a second node with the same arguments; wrangler runs workerd). */
function find(root: number, what: RegExp): number {
  for (const pid of [root, ...descendantsOf(root)].reverse()) {
    try {
      if (what.test(readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "))) return pid;
    } catch {
      // gone
    }
  }
  throw new Error(`no process matching ${what} under ${root}`);
}

/** Build-log-like output of about `n` characters for row `i`. */
function output(i: number, n: number): string {
  const lines = [`-----> Restarting app-${i % 50} (run ${i})`];
  for (let k = 0; lines.join("\n").length < n; k++) lines.push(`       Container web.${k + 1} ${(i * 7919 + k).toString(16).padStart(12, "0")} restarted`);
  return lines.join("\n").slice(0, n);
}

const bench = await benchEdge("history-export");
const { edge, vars, cookie, dir } = bench;
const sim = makeSim();
const db = join(dir, "relay.db");
let relay: Proc | undefined;

try {
  const t0 = performance.now();
  const base = Date.now() - ROWS * 1000;
  await seedHistory(db, ROWS, (i) => ({
    opId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    host: "demo",
    op: "apps.restart",
    app: `app-${i % 50}`,
    argv: ["dokku", "ps:restart", `app-${i % 50}`],
    exitCode: i % 20 ? 0 : 1,
    outcome: i % 20 ? "ok" : "error",
    stdout: output(i, OUTPUT_CHARS),
    stderr: i % 20 ? "" : " !     Container failed to start",
    durationMs: 800 + (i % 2000),
    requestedBy: "admin",
    startedAt: base + i * 1000,
    finishedAt: base + i * 1000 + 900,
  }));
  console.error(`seeded ${ROWS} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The relay as it ships and as its unit runs it: the built relay.mjs with the unit's node flags,
  // not the checkout under tsx (whose loader and source maps weigh on its memory).
  const artifact = await unpackRelayArtifact(dir);
  relay = startRelay({
    artifact,
    url: edge.url,
    host: "demo",
    token: vars.DOCKLIGHT_RELAY_TOKEN,
    publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
    db,
    dokkuBin: SIMULATOR,
    // history kept as seeded (the relay prunes past DOCKLIGHT_HISTORY_MAX_ROWS at start)
    env: { ...(sim.env as Record<string, string>), LOG_LEVEL: "info", DOCKLIGHT_HISTORY_MAX_ROWS: String(Math.max(ROWS, 100)) },
  });
  let up = false;
  for (let i = 0; i < 300 && !up; i++) {
    up = await bench.connected();
    if (!up) await sleep(100);
  }
  if (!up) throw new Error(`relay did not connect:\n${relay.output()}`);
  const relayPid = find(relay.child.pid!, /relay\.mjs/);
  const edgePid = find(edge.child.pid!, /workerd/);

  /** Download one export, reading at most `mbps` MB/s (0: as fast as possible), sampling both sides' memory. */
  async function download(path: string, mbps = 0) {
    const logBefore = relay!.output().length;
    const before = { relay: rss(relayPid), edge: rss(edgePid) };
    const peak = { ...before };
    const sampler = setInterval(() => {
      peak.relay = Math.max(peak.relay, rss(relayPid));
      peak.edge = Math.max(peak.edge, rss(edgePid));
    }, 20);
    const start = performance.now();
    const res = await fetch(`${edge.url}${path}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    const reader = res.body!.getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (mbps > 0) {
        const due = start + (bytes / (mbps * 1e6)) * 1000;
        if (due > performance.now()) await sleep(due - performance.now());
      }
    }
    const ms = performance.now() - start;
    clearInterval(sampler);
    await sleep(500); // the relay logs the last page's line as it answers
    // The relay logs each op it answered with the ms it took (relay/ops/dispatch.ts).
    const relayMs = [
      ...relay!
        .output()
        .slice(logBefore)
        .matchAll(/"op":"history\.export","ms":(\d+)/g),
    ].map((m) => Number(m[1]));
    return { ms, bytes, pages: relayMs.length, relayMs: relayMs.reduce((a, b) => a + b, 0), before, peak };
  }

  // Warm the isolate, the hub and the relay, and let both sides' heaps grow to their working size.
  await download("/hosts/demo/history/export.json");
  const runs: Array<[string, Awaited<ReturnType<typeof download>>]> = [];
  for (const [name, path, mbps] of [
    ["CSV, 10,000 rows, fast client", "/hosts/demo/history/export.csv?limit=10000", 0],
    ["CSV, fast client", "/hosts/demo/history/export.csv", 0],
    ["JSON, fast client", "/hosts/demo/history/export.json", 0],
    [`CSV, client at ${SLOW_MBPS} MB/s`, "/hosts/demo/history/export.csv", SLOW_MBPS],
  ] as const) {
    const r = await download(path, mbps);
    console.error(`${name}: ${(r.ms / 1000).toFixed(1)} s`);
    runs.push([name, r]);
  }

  const head = ["export", "time", "size", "pages", "relay's time", "relay RSS before → peak (growth)", "edge (workerd) RSS before → peak (growth)"];
  const rows = runs.map(([name, r]) => [
    name,
    `${(r.ms / 1000).toFixed(2)} s`,
    mib(r.bytes),
    String(r.pages),
    `${(r.relayMs / 1000).toFixed(2)} s`,
    `${mib(r.before.relay)} → ${mib(r.peak.relay)} (+${mib(r.peak.relay - r.before.relay)})`,
    `${mib(r.before.edge)} → ${mib(r.peak.edge)} (+${mib(r.peak.edge - r.before.edge)})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nbench/history-export — ${ROWS} rows of ~${OUTPUT_CHARS} characters of output, loopback, ${new Date().toISOString()}`);
  console.log(`relay: the built relay.mjs (node ${unitNodeFlags().join(" ")}), as its unit runs it`);
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
  const biggest = Math.max(...runs.map(([, r]) => r.bytes));
  console.log(`\nThe largest file is ${(biggest / MAX_FRAME_BYTES).toFixed(0)}× the link's frame cap (MAX_FRAME_BYTES); each page is at most half of it.`);
  console.log("Relay's time: the sum of its own time per page (verify, read SQLite, format), from its log.");
  console.log("RSS sampled every 20 ms; the edge figure is the one workerd process that runs the Worker and the HostHub locally.");
} finally {
  await relay?.stop();
  await bench.stop();
  sim.cleanup();
}
