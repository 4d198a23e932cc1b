import { join, resolve } from "node:path";
import { historyOf } from "../test/support/history.js";
import { benchEdge } from "./edge.js";
import { fmt, measure, percentile } from "./stats.js";
import { profileWorker } from "./workerd-profile.js";

/**
 * Where a link round trip spends its time, layer by layer, at concurrency 1: the edge alone
 * (/api/health), edge plus a HostHub RPC (status.json), an op that runs no command (the host page's
 * relay.ping), then what the dashboard does on a Restart: htmx's POST of the restart (a no-op
 * command) and the apps list it reads again (HX-Trigger), each split at the relay by the one clock
 * this machine has: in (bench's send → the relay has the op: session, hub, policy, signing, the
 * frame), the relay (verify → result, the command from its history), out (its result → the answer
 * here: the frame back, the hub's bookkeeping, rendering). Then a CPU profile of the Worker over
 * the same pairs (workerd's clock stands still between I/O, so CPU-only steps are sampled, not
 * timed), per function, per restart. Prints figures; never passes or fails.
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
const now = () => performance.timeOrigin + performance.now();
const row = (name: string, xs: number[]) => console.log(`${name.padEnd(44)} p50 ${fmt(percentile(xs, 50))}  p99 ${fmt(percentile(xs, 99))}`);
const sorted = (xs: number[]) => xs.sort((a, b) => a - b);

/** One request as the dashboard sends it; its send and answer times (epoch ms). */
async function call(path: string, method: "GET" | "POST", htmx: boolean): Promise<{ sent: number; answered: number; status: number }> {
  const sent = now();
  const r = await fetch(`${edge.url}${path}`, { method, headers: { cookie, origin: edge.url, ...(htmx ? { "hx-request": "true" } : {}) } });
  await r.arrayBuffer();
  return { sent, answered: now(), status: r.status };
}

console.log(`bench/link-breakdown — ${N} requests each, concurrency 1`);
const layers = [
  ["edge only (GET /api/health)", "/api/health", "GET"],
  ["edge + HostHub RPC (status.json)", "/hosts/demo/status.json", "GET"],
  ["op without a command (host page)", "/hosts/demo/host", "GET"],
] as const;
const p50: Record<string, number> = {};
for (const [name, path, method] of layers) {
  const once = async () => void (await call(path, method, false));
  await measure(20, 1, once);
  const m = await measure(N, 1, once);
  p50[path] = percentile(m.latencies, 50);
  row(name, m.latencies);
}

// The dashboard's Restart: the htmx POST, then the apps list it reads again (the restart made it stale).
const RESTART = "/hosts/demo/apps/api/restart";
const APPS_LIST = "/hosts/demo/apps-list";
const pair = async () => ({ restart: await call(RESTART, "POST", true), list: await call(APPS_LIST, "GET", true) });
for (let i = 0; i < 20; i++) await pair();
const pairs: Awaited<ReturnType<typeof pair>>[] = [];
for (let i = 0; i < N; i++) pairs.push(await pair());
const bad = pairs.filter((p) => p.restart.status !== 200 || p.list.status !== 200).length;
if (bad) console.log(`(${bad} of ${N} pairs were not both 200)`);

// The CPU the Worker spends on such pairs, sampled (a third as many: profiling slows it down).
const P = Math.max(20, Math.round(N / 3));
const cpu = await profileWorker(edge.inspectorPort, async () => {
  for (let i = 0; i < P; i++) await pair();
});
await relay.stop();

// The relay's "op done" lines (when it received the op, ms to its result) and, for the restarts,
// the command's own duration from history.
const done = relay
  .output()
  .split("\n")
  .filter((l) => l.includes('"op done"'))
  .map((l) => JSON.parse(l) as { opId: string; op: string; ms: number; receivedAt: number });
const commandMs = new Map(historyOf(join(dir, "relay.db")).map((e) => [e.opId, e.durationMs ?? 0]));
/** The relay's line of op `op` received while request `r` was in flight. */
const lineOf = (op: string, r: { sent: number; answered: number }) =>
  done.find((d) => d.op === op && d.receivedAt >= r.sent - 1 && d.receivedAt <= r.answered + 1);

function split(name: string, op: string, requests: { sent: number; answered: number }[]): number {
  const total: number[] = [];
  const inbound: number[] = [];
  const share: number[] = [];
  const command: number[] = [];
  const outbound: number[] = [];
  for (const r of requests) {
    const d = lineOf(op, r);
    if (!d) continue;
    total.push(r.answered - r.sent);
    inbound.push(d.receivedAt - r.sent);
    share.push(d.ms);
    command.push(commandMs.get(d.opId) ?? 0);
    outbound.push(r.answered - d.receivedAt - d.ms);
  }
  console.log(`${name} (${total.length} matched to the relay's log)`);
  row("  whole answer", sorted(total));
  row("  in: request → relay has the op", sorted(inbound));
  row("  relay: verify → result", sorted(share));
  row("    of which the command(s) (history)", sorted(command));
  row("  out: relay's result → answer", sorted(outbound));
  return percentile(total, 50) - percentile(command, 50);
}
const restartOwn = split(
  "htmx POST restart (no-op command)",
  "apps.restart",
  pairs.map((p) => p.restart),
);
split(
  "htmx GET apps-list (its read again: apps.list)",
  "apps.list",
  pairs.map((p) => p.list),
);
row("relay share of the op without a command (ping)", sorted(done.filter((d) => d.op === "relay.ping").map((d) => d.ms)));
const own = restartOwn - p50["/hosts/demo/status.json"]!;
console.log(`${"edge + relay's own share of an op".padEnd(44)} p50 ${fmt(own)}  (htmx restart − the command − edge + HostHub RPC, at p50)`);

// Per restart + apps-list pair: the Worker's busy CPU, and the functions of the op path that take most of it.
console.log(`Worker CPU per restart + apps-list pair, sampled over ${P} pairs: ${fmt(cpu.busyMs / P)} busy`);
const top = [...cpu.byName].filter(([name]) => !name.startsWith("(")).sort((a, b) => b[1].total - a[1].total);
for (const [name, t] of top.slice(0, Number(process.env.BENCH_TOP ?? 30)))
  console.log(`  ${name.slice(0, 40).padEnd(42)} total ${fmt(t.total / P).padStart(8)}  self ${fmt(t.self / P).padStart(8)}`);
for (const name of ["(program)", "(garbage collector)"]) console.log(`  ${name.padEnd(42)} self ${fmt((cpu.byName.get(name)?.self ?? 0) / P).padStart(8)}`);
await bench.stop();
