import WebSocket from "ws";

/** One node of a V8 CPU profile (DevTools protocol `Profiler.ProfileNode`). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** A V8 CPU profile (`Profiler.Profile`): sampled stacks and the µs between samples. */
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** CPU time (ms) spent in each named function, itself and with its callees, over a profile. */
export interface CpuSplit {
  /** All sampled time but idle (ms). */
  busyMs: number;
  /** Per function name: `self` (the function's own code) and `total` (with everything it called), ms. */
  byName: Map<string, { self: number; total: number }>;
}

/**
 * A CPU profile of the Worker that `wrangler dev` runs (its Durable Objects run in the same
 * isolate), through the DevTools protocol on its `--inspector-port`: `Profiler.start`, `fn`, then
 * `Profiler.stop`, summed per function name. Workers' clocks only move across I/O, so CPU-only
 * steps (signing, rendering) cannot be timed from inside the Worker; a sampling profile can.
 */
export async function profileWorker(inspectorPort: number, fn: () => Promise<void>, intervalUs = 100): Promise<CpuSplit> {
  const ws = new WebSocket(`ws://127.0.0.1:${inspectorPort}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let next = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: intervalUs });
  await call("Profiler.start");
  try {
    await fn();
  } finally {
    const { profile } = (await call("Profiler.stop")) as { profile: Profile };
    ws.close();
    // eslint-disable-next-line no-unsafe-finally
    return splitOf(profile);
  }
}

/** Sum a profile's samples per function name: self time, and time with callees (each name once per stack). */
export function splitOf(profile: Profile): CpuSplit {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byName = new Map<string, { self: number; total: number }>();
  const entry = (name: string) => byName.get(name) ?? byName.set(name, { self: 0, total: 0 }).get(name)!;
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id)!;
    const self = nameOf(node);
    if (self === "(idle)") return;
    busyMs += ms;
    entry(self).self += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      entry(name).total += ms;
    }
  });
  return { busyMs, byName };
}

/** A function's name, and where it is when it is a Worker's own (bundle line: names alone repeat, e.g. two `record`s). */
function nameOf(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const name = functionName || "(anonymous)";
  return name.startsWith("(") || !url ? name : `${name} ${url.split("/").at(-1)}:${lineNumber + 1}`;
}
