import { join, resolve } from "node:path";
import { run } from "../relay/process/run.js";
import { startRelay, type Proc } from "../scripts/stack.js";
import { benchEdge } from "./edge.js";
import { fmt, measure, percentile } from "./stats.js";

/**
 * What the link costs: the same Dokku command run (a) directly with execFile on the host and
 * (b) as an op through the edge (wrangler dev, workerd) and a relay, side by side, at concurrency
 * 1 and 32. Prints figures; never passes or fails.
 *
 *   npm run bench:link            (BENCH_N=1000 ops per cell by default)
 */
const N = Number(process.env.BENCH_N ?? 1000);
const FAKE = resolve(import.meta.dirname, "fixtures/dokku-fake");
const scenarios = [
  { name: "100 ms command", sleep: "0.1" },
  { name: "no-op command", sleep: "0" },
];

const bench = await benchEdge("link");
const { edge, vars, cookie, dir } = bench;

async function relayFor(sleep: string): Promise<Proc> {
  const relay = startRelay({
    url: edge.url,
    host: "demo",
    token: vars.DOCKLIGHT_RELAY_TOKEN,
    publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
    db: join(dir, `relay-${sleep}.db`),
    dokkuBin: FAKE,
    env: { BENCH_SLEEP: sleep, LOG_LEVEL: "warn" },
  });
  for (let i = 0; i < 300; i++) {
    if (await bench.connected()) return relay;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`relay did not connect:\n${relay.output()}`);
}

const rows: string[][] = [];
for (const scenario of scenarios) {
  const relay = await relayFor(scenario.sleep);
  const env = { ...process.env, BENCH_SLEEP: scenario.sleep };
  const direct = async () => {
    const r = await run(FAKE, ["ps:restart", "api"], { timeoutMs: 30_000, env });
    if (r.exitCode !== 0) throw new Error(`direct run failed: ${r.stderr}`);
  };
  // One change per app at a time (a second is a 409 busy): each op restarts an app of its own.
  let next = 0;
  const viaLink = async () => {
    const r = await fetch(`${edge.url}/hosts/demo/apps/bench-${next++}/restart`, { method: "POST", headers: { cookie, origin: edge.url } });
    if (r.status !== 200) throw new Error(`op failed: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  };
  await measure(20, 4, viaLink); // warm the isolate, the hub and the relay
  for (const concurrency of [1, 32]) {
    const a = await measure(N, concurrency, direct);
    const b = await measure(N, concurrency, viaLink);
    const [a50, a99, b50, b99] = [percentile(a.latencies, 50), percentile(a.latencies, 99), percentile(b.latencies, 50), percentile(b.latencies, 99)];
    rows.push([
      scenario.name,
      String(concurrency),
      fmt(a50),
      fmt(a99),
      fmt(b50),
      fmt(b99),
      `${(b50 / a50).toFixed(3)}`,
      fmt(b50 - a50),
      `${((N / a.wallMs) * 1000).toFixed(0)} / ${((N / b.wallMs) * 1000).toFixed(0)}`,
    ]);
    console.error(`done: ${scenario.name}, concurrency ${concurrency}`);
  }
  await relay.stop();
}
await bench.stop();

const head = ["command", "conc.", "direct p50", "direct p99", "link p50", "link p99", "p50 ratio b/a", "added p50", "ops/s a / b"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\nbench/link — ${N} ops per cell, loopback, ${new Date().toISOString()}`);
console.log(line(head));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log("\n(a) execFile of the command on the host; (b) the same command as an op: HTTP → Worker → HostHub → relay → execFile → back.");
