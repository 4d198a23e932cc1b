import { readFileSync } from "node:fs";
import { startStack } from "../test/support/stack.js";
import { fmt, percentile } from "./stats.js";

/**
 * A burst of changes from the dashboard: 200 at once, through the real edge (wrangler dev) and a
 * relay on the simulator. Prints how they ended (by HTTP status and outcome), p50/p99 time to the
 * outcome, and the relay's peak RSS. Never passes or fails.
 *
 *   npm run bench:changes        (BENCH_CHANGES=200)
 */
const N = Number(process.env.BENCH_CHANGES ?? 200);

const stack = await startStack({ seeds: { demo: "empty" } });
const cookie = await stack.login();
const relay = stack.relays.demo!;
const relayPid = Number(/"pid":(\d+)/.exec(relay.proc.output())?.[1]);

/** VmHWM (peak resident set) and VmRSS of a process, in MiB (Linux /proc). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { peak: kib("VmHWM") / 1024, now: kib("VmRSS") / 1024 };
}

async function burst(name: string, requests: Array<() => Promise<Response>>): Promise<string[]> {
  const before = memory(relayPid);
  const times: number[] = [];
  const kinds = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    requests.map(async (send) => {
      const t = performance.now();
      const res = await send();
      const html = await res.text();
      times.push(performance.now() - t);
      // The outcome's own class (outcome-ok, outcome-warning, outcome-error, …), not its wording; an
      // answer without one (a 503 from the platform, an error page) is named by its title or first words.
      const said = /<title>([^<]{1,80})/.exec(html)?.[1] ?? (html.replace(/\s+/g, " ").trim().slice(0, 80) || "empty body");
      const kind = `${res.status} ${/class="outcome (outcome-[a-z]+)"/.exec(html)?.[1] ?? `no outcome: ${said}`}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }),
  );
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  const after = memory(relayPid);
  return [
    name,
    [...kinds].map(([k, n]) => `${n} × ${k}`).join("; "),
    fmt(percentile(times, 50)),
    fmt(percentile(times, 99)),
    fmt(wall),
    `${before.now.toFixed(1)} → ${after.now.toFixed(1)} MiB (peak ${after.peak.toFixed(1)})`,
  ];
}

const form = (path: string, body: Record<string, string>) => () =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { cookie, origin: stack.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });

const rows: string[][] = [];
rows.push(
  await burst(
    `${N} creates, one app each`,
    Array.from({ length: N }, (_, i) => form("/hosts/demo/apps", { name: `bench-${i}` })),
  ),
);
rows.push(
  await burst(
    `${N} config changes over 10 apps`,
    Array.from({ length: N }, (_, i) => form(`/hosts/demo/apps/bench-${i % 10}/config/set`, { key: `K${i}`, value: "v", no_restart: "on" })),
  ),
);
const heartbeatDrops = (relay.proc.output().match(/heartbeats unanswered/g) ?? []).length;
await stack.stop();

const head = ["burst", "outcomes", "p50 to outcome", "p99 to outcome", "wall", "relay RSS"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\nbench/changes — loopback, simulator, ${new Date().toISOString()}`);
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(`links the relay dropped for missed heartbeats: ${heartbeatDrops}`);
