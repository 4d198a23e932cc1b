import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { toDotenv } from "../scripts/credentials.js";
import { freePort, startEdge, startRelay } from "../scripts/stack.js";
import { testVars, TEST_PASSWORD } from "../test/support/worker-secrets.js";
import { fmt, measure, percentile } from "./stats.js";

/**
 * Where a link round trip spends its time, layer by layer, at concurrency 1: the edge alone
 * (/api/health), edge plus a HostHub RPC (status.json), a full op with a no-op command, and the
 * relay's own share (from its "op done" log lines). Prints figures; never passes or fails.
 */
const N = Number(process.env.BENCH_N ?? 300);
const dir = mkdtempSync(join(tmpdir(), "docklight-breakdown-"));
const vars = await testVars();
const { tokens: _t, DOCKLIGHT_PASSWORD: _p, DOCKLIGHT_HOST_ID: _h, DOCKLIGHT_RELAY_TOKEN: _r, DOCKLIGHT_OP_PUBLIC_KEY: _k, ...edgeVars } = vars;
writeFileSync(join(dir, "edge.env"), toDotenv(edgeVars, "", true));
const edge = await startEdge({ port: await freePort(), envFile: join(dir, "edge.env"), persistTo: join(dir, "state") });
const login = await fetch(`${edge.url}/login`, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", origin: edge.url },
  body: new URLSearchParams({ password: TEST_PASSWORD }),
  redirect: "manual",
});
const cookie = /(docklight_session=[^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1]!;
const relay = startRelay({
  url: edge.url,
  host: "demo",
  token: vars.DOCKLIGHT_RELAY_TOKEN,
  publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
  db: join(dir, "relay.db"),
  dokkuBin: resolve(import.meta.dirname, "fixtures/dokku-fake"),
  env: { LOG_LEVEL: "info" },
});
while (!((await (await fetch(`${edge.url}/hosts/demo/status.json`, { headers: { cookie } })).json()) as { connected: boolean }).connected) {
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
await edge.stop();
rmSync(dir, { recursive: true, force: true });
