import { join, resolve } from "node:path";
import { historyOf } from "../test/support/history.js";
import { benchEdge } from "./edge.js";
import { fmt, measure, percentile } from "./stats.js";

/**
 * Where a link round trip spends its time, layer by layer, at concurrency 1: the edge alone
 * (/api/health), edge plus a HostHub RPC (status.json), an op that runs no command (the host page's
 * relay.ping), a full op with a no-op command, the command's own time (from the relay's history),
 * the relay's share (from its "op done" log lines) and, from those, what the edge and the relay
 * themselves add to an op: full op − (edge + HostHub RPC) − the command. Prints figures; never
 * passes or fails.
 */
const N = Number(process.env.BENCH_N ?? 300);
const bench = await benchEdge("breakdown");
const { edge, cookie, dir } = bench;
// Run as its systemd unit runs it (the unit's node flags): that is the relay production has.
const relay = await bench.relay({
  dokkuBin: resolve(import.meta.dirname, "fixtures/dokku-fake"),
  env: { LOG_LEVEL: "info" },
  unitFlags: process.env.BENCH_TSX !== "1",
});

console.log(`bench/link-breakdown — ${N} requests each, concurrency 1`);
const layers = [
  ["edge only (GET /api/health)", "/api/health", "GET"],
  ["edge + HostHub RPC (status.json)", "/hosts/demo/status.json", "GET"],
  ["op without a command (host page)", "/hosts/demo/host", "GET"],
  ["full op, no-op command (restart)", "/hosts/demo/apps/api/restart", "POST"],
] as const;
const p50: Record<string, number> = {};
const row = (name: string, xs: number[]) => console.log(`${name.padEnd(40)} p50 ${fmt(percentile(xs, 50))}  p99 ${fmt(percentile(xs, 99))}`);
for (const [name, path, method] of layers) {
  const call = async () => {
    const r = await fetch(`${edge.url}${path}`, { method, headers: { cookie, origin: edge.url } });
    await r.arrayBuffer();
  };
  await measure(20, 1, call);
  const m = await measure(N, 1, call);
  p50[path] = percentile(m.latencies, 50);
  row(name, m.latencies);
}
await relay.stop();
// The relay's "op done" lines (ms from receiving the op to its result) and, for the restarts, the
// command's own duration from history.
const done = relay
  .output()
  .split("\n")
  .filter((l) => l.includes('"op done"'))
  .map((l) => JSON.parse(l) as { opId: string; op: string; ms: number });
const commandMs = new Map(historyOf(join(dir, "relay.db")).map((e) => [e.opId, e.durationMs ?? 0]));
const restarts = done.filter((d) => d.op === "apps.restart" && commandMs.has(d.opId));
const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
const command = sorted(restarts.map((d) => commandMs.get(d.opId)!));
row("  the command itself (history)", command);
row("  relay share (verify → result)", sorted(restarts.map((d) => d.ms)));
row("  relay's own share (share − command)", sorted(restarts.map((d) => d.ms - commandMs.get(d.opId)!)));
row("relay share of the op without a command", sorted(done.filter((d) => d.op === "relay.ping").map((d) => d.ms)));
const own = p50["/hosts/demo/apps/api/restart"]! - p50["/hosts/demo/status.json"]! - percentile(command, 50);
console.log(`${"edge + relay's own share of an op".padEnd(40)} p50 ${fmt(own)}  (full op − edge + HostHub RPC − the command, at p50)`);
await bench.stop();
