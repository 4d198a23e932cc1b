import { readdirSync, readFileSync } from "node:fs";
import { descendantsOf } from "../relay/process/process-tree.js";
import { unitNodeFlags, type Proc } from "../scripts/stack.js";
import { makeSim, SIMULATOR } from "../test/support/sim.js";
import { startProxy } from "../test/support/tcp-proxy.js";
import { benchEdge, unpackRelayArtifact } from "./edge.js";
import { fmt, percentile } from "./stats.js";

/**
 * What a live log tail costs, end to end through the local stack (wrangler dev + a relay over the
 * simulator), as the logs page follows it (renewing each segment with Last-Event-ID):
 * - a burst of BENCH_BURST (200,000) lines: lines per second accounted for end to end (shown, or
 *   said to be skipped), how many were shown, and how much memory it added to the relay and to the
 *   edge (peak RSS of each process tree over its RSS before);
 * - how long after its viewer is gone the `dokku logs` process ends: the page closed (the request
 *   aborted), and the connection silently dead (a proxy that stops forwarding). Medians of BENCH_N (10).
 * Prints figures; never passes or fails.
 *
 *   npm run bench:log-stream
 */
const BURST = Number(process.env.BENCH_BURST ?? 200_000);
const N = Number(process.env.BENCH_N ?? 10);
const HISTORY = 300; // lines the simulator has before it follows (test/simulator/commands/logs.ts)
const TAIL = "/hosts/demo/apps/api/logs/stream?lines=100&process=";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bench = await benchEdge("log-stream");
const { edge, cookie } = bench;
const sim = makeSim();
let relay: Proc | undefined;

// The relay as it ships and as its unit runs it: the built relay.mjs, with the unit's node flags.
const artifact = await unpackRelayArtifact(bench.dir);

async function withRelay(env: Record<string, string>): Promise<Proc> {
  await relay?.stop();
  relay = await bench.relay({ dokkuBin: SIMULATOR, env: { ...(sim.env as Record<string, string>), LOG_LEVEL: "warn", ...env }, artifact });
  return relay;
}

/** RSS of these processes (KiB). */
function rssKiB(pids: number[]): number {
  return pids.reduce((sum, p) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      return sum;
    }
  }, 0);
}

/** `dokku logs` processes of this bench's simulated host. */
function logProcesses(): number {
  let n = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!argv.some((a) => a.endsWith("/simulator/dokku")) || !argv.includes("logs")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`DOKKU_SIM_DIR=${sim.dir}`)) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

/**
 * Follow a tail as the page does until `stop`; `onText` sees each decoded piece. Renews each
 * segment with the tail's id.
 */
async function follow(base: string, signal: AbortSignal, onText: (text: string) => boolean): Promise<void> {
  let id: string | null = null;
  for (;;) {
    const res = await fetch(`${base}${TAIL}`, { headers: { cookie, accept: "text/event-stream", ...(id ? { "last-event-id": id } : {}) }, signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      id = /^id: ([0-9a-f-]{36})$/m.exec(text)?.[1] ?? id;
      if (onText(text)) return;
    }
  }
}

try {
  // 1. A burst: the simulator prints BURST lines at once right after the last HISTORY lines.
  await withRelay({ DOKKU_SIM_LOG_BATCH: String(BURST), DOKKU_SIM_LOG_MS: "600000" });
  await sleep(1000);
  // Each process tree (the relay; wrangler dev and its workerd), found once.
  const relayPids = [relay!.child.pid!, ...descendantsOf(relay!.child.pid!)].filter((p) => !readFileSync(`/proc/${p}/cmdline`, "utf8").includes("simulator"));
  const edgePids = [edge.child.pid!, ...descendantsOf(edge.child.pid!)];
  // workerd runs the edge's code; the rest of the tree is wrangler dev's own node process (its
  // local proxy, which production does not have).
  const workerdPids = edgePids.filter((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").includes("workerd"));
  const relayBefore = rssKiB(relayPids);
  const edgeBefore = rssKiB(edgePids);
  const workerdBefore = rssKiB(workerdPids);
  let relayPeak = relayBefore;
  let edgePeak = edgeBefore;
  let workerdPeak = workerdBefore;
  const sampler = setInterval(() => {
    relayPeak = Math.max(relayPeak, rssKiB(relayPids));
    edgePeak = Math.max(edgePeak, rssKiB(edgePids));
    workerdPeak = Math.max(workerdPeak, rssKiB(workerdPids));
  }, 50);
  const last = `request ${HISTORY + BURST - 1} handled`;
  let firstBurstAt = 0;
  let lastAt = 0;
  let shown = 0;
  let skipped = 0;
  let burstShown = 0; // of the burst's own lines (shown also counts the simulator's other lines meanwhile)
  // Counted per whole SSE message: a network read may end in the middle of a line or a marker.
  let pending = "";
  const page = new AbortController();
  await follow(edge.url, page.signal, (text) => {
    pending += text;
    const cut = pending.lastIndexOf("\n\n");
    if (cut < 0) return false;
    const whole = pending.slice(0, cut + 2);
    pending = pending.slice(cut + 2);
    for (const m of whole.matchAll(/(?:request (\d+) handled|GET \/health)/g)) {
      if (m[1] === undefined) {
        if (firstBurstAt) shown++;
        continue;
      }
      if (Number(m[1]) >= HISTORY) {
        shown++;
        burstShown++;
        firstBurstAt ||= performance.now();
      }
    }
    for (const m of whole.matchAll(/\[([\d,]+) lines? skipped/g)) {
      skipped += Number(m[1]!.replace(/,/g, ""));
      firstBurstAt ||= performance.now();
    }
    if (whole.includes(last)) {
      lastAt = performance.now();
      return true;
    }
    return false;
  });
  page.abort();
  await sleep(500);
  clearInterval(sampler);
  const seconds = (lastAt - firstBurstAt) / 1000;

  // 2. How soon a tail ends once its viewer is gone. A slow log (a line every 500 ms, the default).
  await withRelay({});
  const gone = async () => {
    const t = performance.now();
    while (logProcesses() > 0) await sleep(10);
    return performance.now() - t;
  };
  /** A page following a tail whose process runs; `following` ends once the page is aborted. */
  const started = async (base: string, signal: AbortSignal) => {
    const following = follow(base, signal, () => false).catch(() => {});
    while (logProcesses() === 0) await sleep(20);
    await sleep(300);
    return { following };
  };
  const closed: number[] = [];
  const dropped: number[] = [];
  for (let i = 0; i < N; i++) {
    const page = new AbortController();
    const { following } = await started(edge.url, page.signal);
    page.abort();
    closed.push(await gone());
    await following;

    const proxy = await startProxy(Number(new URL(edge.url).port));
    const silent = new AbortController();
    const viaProxy = await started(proxy.url, silent.signal);
    proxy.freeze();
    silent.abort();
    dropped.push(await gone());
    await viaProxy.following;
    await proxy.close();
  }
  closed.sort((a, b) => a - b);
  dropped.sort((a, b) => a - b);

  console.log(`\nbench/log-stream — loopback, ${new Date().toISOString()}`);
  console.log(`A burst of ${BURST.toLocaleString("en")} lines, followed as the logs page does:`);
  console.log(
    `  lines per second end to end   ${Math.round(BURST / seconds).toLocaleString("en")} (shown or said skipped; ${fmt(seconds * 1000)} from its first line to its last)`,
  );
  console.log(`  lines shown                   ${shown.toLocaleString("en")}, said skipped ${skipped.toLocaleString("en")} (the page keeps 2,000)`);
  const accounted = burstShown + skipped;
  console.log(
    `  the burst accounted for       ${accounted.toLocaleString("en")} of ${BURST.toLocaleString("en")} (${burstShown.toLocaleString("en")} shown + ${skipped.toLocaleString("en")} said skipped${accounted === BURST ? "" : `; ${(BURST - accounted).toLocaleString("en")} neither`})`,
  );
  console.log(
    `  memory it added (peak RSS)    relay ${((relayPeak - relayBefore) / 1024).toFixed(1)} MiB (the built relay.mjs, node ${unitNodeFlags().join(" ")}, as its unit runs it), edge ${((edgePeak - edgeBefore) / 1024).toFixed(1)} MiB (wrangler dev + workerd), of it workerd ${((workerdPeak - workerdBefore) / 1024).toFixed(1)} MiB`,
  );
  console.log(`A tail's dokku logs process ends after its viewer is gone (median of ${N}; max):`);
  console.log(`  page closed (request ended)   ${fmt(percentile(closed, 50))} (max ${fmt(closed.at(-1)!)})`);
  console.log(`  connection silently dead      ${fmt(percentile(dropped, 50))} (max ${fmt(dropped.at(-1)!)})`);
} finally {
  await relay?.stop();
  await bench.stop();
  sim.cleanup();
}
