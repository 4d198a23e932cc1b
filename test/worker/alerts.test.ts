import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { ALL_GRANTS, type Principal } from "../../protocol/policy.js";
import type { Alert } from "../../worker/alerts/alert-store.js";
import type { Env } from "../../worker/env.js";
import { hubFor } from "../../worker/hub/client.js";
import worker from "../../worker/index.js";
import { loggedInCookie } from "./helpers.js";
import { Failure, standInRelay, type SeenOp } from "./stand-in-relay.js";
import { getWith, postForm } from "./team-support.js";

/**
 * Alerts (issue #24): the Cron Trigger's handler, run with a controlled clock against a stand-in
 * relay that reports a stopped app, a certificate near expiry, a full disk and a failed deploy,
 * then goes silent, then comes back well: the right alerts open, and each resolves when its state
 * clears. The relay's answers are the only input; nothing else is primed.
 */
const bindings = env as unknown as Env;
const hub = () => hubFor(bindings, "demo");
const OWNER: Principal = { user: "owner@example.com", role: "owner", grants: ALL_GRANTS };
const MIN = 60_000;

/** What the stand-in relay reports; each step of the test changes it. */
const host = {
  apps: { web: "running", api: "running" } as Record<string, string>,
  certDays: 80,
  disk: (_at: number) => 40,
  rebuild: "ok" as "ok" | "fail",
};

const sample = (at: number) => ({
  at,
  cpuPercent: 5,
  memory: { totalBytes: 4e9, availableBytes: 3e9, usedPercent: 25 },
  disks: [{ path: "/", totalBytes: 1e11, freeBytes: 1e11 * (1 - host.disk(at) / 100), usedPercent: host.disk(at) }],
  load: [0.1, 0.1, 0.1] as [number, number, number],
  uptimeSeconds: 1000,
});

/** The clock the checks run at: well past real time, so nothing the host said before counts as fresh. */
let clock = Date.now() + 60 * MIN;

function answer(op: SeenOp): unknown {
  switch (op.op) {
    case "apps.list":
      return { apps: Object.entries(host.apps).map(([name, state]) => ({ name, state, processes: state === "running" ? 1 : 0, unknownReason: null })) };
    case "tls.list": {
      const s = host.certDays * 86_400;
      return {
        rows: [
          {
            app: "web",
            expiry: "2027-01-01 00:00:00",
            timeBeforeExpiry: `${host.certDays}d`,
            timeBeforeRenewal: "",
            secondsToExpiry: s,
            secondsToRenewal: s - 30 * 86_400,
          },
        ],
      };
    }
    case "server.health": {
      const series = [20, 15, 10, 5].map((m) => sample(clock - m * MIN));
      return { now: sample(clock), series };
    }
    case "apps.rebuild":
      return host.rebuild === "ok" ? { output: "deployed" } : new Failure("dokku_error", "build failed: exit 1");
    default:
      return undefined;
  }
}

async function tick(at: number) {
  clock = at;
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

const alerts = async () => (await hub().alertList(OWNER)) as Alert[];
const openKeys = async () =>
  (await alerts())
    .filter((a) => a.resolvedAt === null)
    .map((a) => a.key)
    .sort();

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i > 300) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A rebuild of web through the hub, as a person would start it, and its end kept by the hub. */
async function rebuild(how: "ok" | "fail") {
  host.rebuild = how;
  const started = await hub().start("apps.rebuild", { app: "web" }, OWNER);
  if (started.kind !== "started") throw new Error(`rebuild did not start: ${JSON.stringify(started)}`);
  await until(
    () => hub().startedChange(started.opId),
    (c) => c?.ended !== undefined,
  );
}

let relay: Awaited<ReturnType<typeof standInRelay>>;
afterAll(() => relay?.close());

describe("the Cron Trigger's alert checks", () => {
  it("open on a stopped app, a certificate near expiry, a full disk, a failed deploy and a silent relay, and each resolves when it clears", async () => {
    relay = await standInRelay(answer);
    const t0 = clock;
    await tick(t0);
    expect(await openKeys()).toEqual([]);

    // The host turns bad: api stops, web's certificate has 5 days left, / has been 97% full for 20 min, a deploy fails.
    host.apps.api = "stopped";
    host.certDays = 5;
    host.disk = () => 97;
    await rebuild("fail");
    await tick(t0 + 5 * MIN);
    expect(await openKeys()).toEqual(["app-down:api", "cert:web", "deploy-failed:web", "disk:/"]);
    const byKey = new Map((await alerts()).map((a) => [a.key, a]));
    expect(byKey.get("app-down:api")!.message).toBe("api was running and is now stopped.");
    expect(byKey.get("cert:web")!.message).toMatch(/expires in 5 d/);
    expect(byKey.get("disk:/")!.message).toMatch(/Disk \/ is 97% full \(at least 90% for 20 min\)/);
    expect(byKey.get("app-down:api")!.openedAt).toBe(t0 + 5 * MIN);

    // Another check while nothing changed keeps the same alerts open (one each, same opening).
    await tick(t0 + 10 * MIN);
    expect(await openKeys()).toEqual(["app-down:api", "cert:web", "deploy-failed:web", "disk:/"]);
    expect((await alerts()).filter((a) => a.key === "app-down:api")).toHaveLength(1);

    // Acknowledged from the dashboard: still open, marked.
    const cookie = await loggedInCookie();
    const ack = await postForm(`/hosts/demo/alerts/${byKey.get("app-down:api")!.id}/ack`, cookie);
    expect(ack.status).toBe(303);
    const dash = await (await getWith("/hosts/demo/alerts", cookie)).text();
    expect(dash).toMatch(/data-alert="app-down:api" data-state="acknowledged"/);
    expect(dash).toMatch(/acknowledged by admin/);
    expect(dash).toMatch(/data-alert="cert:web" data-state="open"/);

    // The relay goes silent: after 5 minutes the offline alert opens; the others stay as they were (they cannot be judged).
    relay.close();
    await until(
      () => hub().status(),
      (s) => !s.connected,
    );
    const silentSince = Date.now();
    await tick(silentSince + 2 * MIN);
    expect(await openKeys()).not.toContain("relay-offline");
    await tick(silentSince + 6 * MIN);
    expect(await openKeys()).toEqual(["app-down:api", "cert:web", "deploy-failed:web", "disk:/", "relay-offline"]);

    // It comes back well: api runs, the certificate was renewed, the disk was cleaned, a deploy succeeded.
    host.apps.api = "running";
    host.certDays = 85;
    host.disk = (at) => (at >= silentSince + 11 * MIN ? 40 : 97);
    relay = await standInRelay(answer);
    await rebuild("ok");
    await tick(silentSince + 11 * MIN);
    expect(await openKeys()).toEqual([]);
    const resolved = await alerts();
    for (const key of ["app-down:api", "cert:web", "deploy-failed:web", "disk:/", "relay-offline"])
      expect(resolved.find((a) => a.key === key)?.resolvedAt, key).toBe(silentSince + 11 * MIN);
    const after = await (await getWith("/hosts/demo", cookie)).text();
    expect(after).toMatch(/data-alert="app-down:api" data-state="resolved"/);
  });
});
