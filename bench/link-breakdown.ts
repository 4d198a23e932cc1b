import { join, resolve } from "node:path";
import { startRelay } from "../scripts/stack.js";
import { benchEdge } from "./edge.js";
import { fmt, measure, percentile } from "./stats.js";

/**
 * Where a link round trip spends its time, layer by layer, at concurrency 1: the edge alone
 * (/api/health), edge plus a HostHub RPC (status.json), a full op with a no-op command, and the
 * relay's own share (from its "op done" log lines). Prints figures; never passes or fails.
 */
const N = Number(process.env.BENCH_N ?? 300);
const bench = await benchEdge("breakdown");
const { edge, vars, cookie, dir } = bench;
const relay = startRelay({
  url: edge.url,
  host: "demo",
  token: vars.DOCKLIGHT_RELAY_TOKEN,
  publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
  db: join(dir, "relay.db"),
  dokkuBin: resolve(import.meta.dirname, "fixtures/dokku-fake"),
  env: { LOG_LEVEL: "info" },
});
while (!(await bench.connected())) {
  await new Promise((r) => setTimeout(r, 100));
}

console.log(`bench/link-breakdown — ${N} requests each, concurrency 1`);
const layers = [
  ["edge only (GET /api/health)", "/api/health", "GET"],
  ["edge + HostHub RPC (status.json)", "/hosts/demo/status.json", "GET"],
  ["full op, no-op command (restart)", "/hosts/demo/apps/api/restart", "POST"],
] as const;
for (const [name, path, method] of layers) {
  const call = async () => {
    const r = await fetch(`${edge.url}${path}`, { method, headers: { cookie, origin: edge.url } });
    await r.arrayBuffer();
  };
  await measure(20, 1, call);
  const m = await measure(N, 1, call);
  console.log(`${name.padEnd(36)} p50 ${fmt(percentile(m.latencies, 50))}  p99 ${fmt(percentile(m.latencies, 99))}`);
}
const relayMs = relay
  .output()
  .split("\n")
  .filter((l) => l.includes('"op done"'))
  .map((l) => (JSON.parse(l) as { ms: number }).ms)
  .sort((a, b) => a - b);
console.log(`${"relay share (verify → result)".padEnd(36)} p50 ${fmt(percentile(relayMs, 50))}  p99 ${fmt(percentile(relayMs, 99))}`);
await relay.stop();
await bench.stop();
