import { describe, expect, it } from "vitest";
import { ALERT_LIMITS, evaluate, overSince, type Observation } from "../../../../worker/alerts/conditions.js";
import type { HealthSample } from "../../../../protocol/ops/health.js";

const MIN = 60_000;
const NOW = 1_800_000_000_000;

const sample = (at: number, disk: number, memory = 20): HealthSample => ({
  at,
  cpuPercent: 1,
  memory: { totalBytes: 100, availableBytes: 100 - memory, usedPercent: memory },
  disks: [{ path: "/", totalBytes: 100, freeBytes: 100 - disk, usedPercent: disk }],
  load: [0, 0, 0],
  uptimeSeconds: 1,
});

const obs = (o: Partial<Observation>): Observation => ({ now: NOW, online: true, lastSeen: null, apps: null, certs: null, health: null, deploys: [], ...o });
const keys = (o: Observation, was: string[] = [], open: string[] = []) =>
  evaluate(o, was, new Set(open))
    .conditions.map((c) => c.key)
    .sort();

describe("alert conditions", () => {
  it("disk and memory: only at or over the limit in every sample for the whole sustain time", () => {
    const brief = { now: sample(NOW, 97), series: [sample(NOW - 20 * MIN, 50), sample(NOW - 5 * MIN, 97)] };
    expect(keys(obs({ health: brief }))).toEqual([]);
    const long = { now: sample(NOW, 97, 95), series: [sample(NOW - 20 * MIN, 92, 91), sample(NOW - 10 * MIN, 95, 93)] };
    expect(keys(obs({ health: long }))).toEqual(["disk:/", "memory"]);
    const dipped = { now: sample(NOW, 97), series: [sample(NOW - 20 * MIN, 95), sample(NOW - 9 * MIN, 80), sample(NOW - 5 * MIN, 97)] };
    expect(keys(obs({ health: dipped }))).toEqual([]);
    expect(overSince([sample(3, 95), sample(1, 95), sample(2, 10)], (s) => s.disks[0]!.usedPercent, 90)).toBe(3);
  });

  it("disk: a run is measured to the newest sample, which the relay took after the check's time", () => {
    const limits = { ...ALERT_LIMITS, sustainMinutes: 0 };
    const late = { now: sample(NOW + 800, 97), series: [sample(NOW - 5 * MIN, 41)] };
    expect(evaluate(obs({ health: late }), [], new Set(), limits).conditions.map((c) => c.message)).toEqual(["Disk / is 97% full (at least 90% for 0 min)."]);
    const run = { now: sample(NOW + 30_000, 97), series: [sample(NOW - 9 * MIN - 40_000, 95)] };
    expect(keys(obs({ health: run }))).toEqual(["disk:/"]);
  });

  it("apps: only one seen running alerts; a destroyed app is forgotten; an unknown state keeps an open alert as it is", () => {
    const apps = (state: Record<string, string>) =>
      Object.entries(state).map(([name, s]) => ({ name, state: s as "running", processes: 1, unknownReason: null }));
    expect(keys(obs({ apps: apps({ a: "stopped" }) }))).toEqual([]);
    expect(keys(obs({ apps: apps({ a: "stopped" }) }), ["a"])).toEqual(["app-down:a"]);
    expect(evaluate(obs({ apps: apps({ b: "running" }) }), ["a"], new Set()).wasRunning).toEqual(["b"]);
    expect(keys(obs({ apps: apps({ a: "unknown" }) }), ["a"], ["app-down:a"])).toEqual(["app-down:a"]);
    expect(keys(obs({ apps: apps({ a: "unknown" }) }), ["a"], [])).toEqual([]);
  });

  it("certificates: within 14 days, expired, or a renewal overdue", () => {
    const row = (app: string, exp: number | null, renew: number | null) => ({
      app,
      expiry: "",
      timeBeforeExpiry: "",
      timeBeforeRenewal: "",
      secondsToExpiry: exp,
      secondsToRenewal: renew,
    });
    const d = 86_400;
    expect(keys(obs({ certs: [row("a", 20 * d, 5 * d), row("b", 13 * d, -d), row("c", -d, -d), row("e", 30 * d, -2 * d), row("f", null, null)] }))).toEqual([
      "cert:b",
      "cert:c",
      "cert:e",
    ]);
  });

  it("the relay: offline past the limit since last seen; never seen is not an alert", () => {
    expect(keys(obs({ online: false, lastSeen: NOW - 4 * MIN }))).toEqual([]);
    expect(keys(obs({ online: false, lastSeen: NOW - 5 * MIN }))).toEqual(["relay-offline"]);
    expect(keys(obs({ online: false, lastSeen: null }))).toEqual([]);
  });

  it("deploys: the newest deploy of each app decides", () => {
    const d = (app: string, ok: boolean, at: number) => ({ app, ok, at, opId: `${app}${at}`, message: "m" });
    expect(keys(obs({ deploys: [d("a", false, 1), d("a", true, 2), d("b", true, 1), d("b", false, 2)] }))).toEqual(["deploy-failed:b"]);
  });
});
