import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { commandsIn, historyOf, until } from "../support/history.js";
import { useStack, type SignedInStack } from "../support/use-stack.js";
import { startProxy } from "../support/tcp-proxy.js";
import { findOrphans } from "../../relay/process/orphans.js";

/**
 * Faults on the link, with the real edge (wrangler dev, workerd) and real relay processes. Each
 * test asserts what the user sees, and that history holds exactly one record per command that
 * actually ran.
 */
/** The stack of the describe running now: each starts its own. */
let stack: SignedInStack;

const post = (path: string) => fetch(`${stack.url}${path}`, { method: "POST", headers: { cookie: stack.cookie, origin: stack.url } });
const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { cookie: stack.cookie } });
const status = async (host = "demo") => (await (await get(`/hosts/${host}/status.json`)).json()) as { connected: boolean; relayVersion: string | null };

describe("faults on the link", () => {
  const own = useStack();
  beforeAll(() => {
    stack = own;
  });

  it("refuses a relay with a wrong token, and it does not displace the real one", async () => {
    const impostor = stack.startRelay("demo", { token: "w".repeat(43) });
    await until("the refusal in the impostor's log", () => impostor.output().includes("refused this relay's token"));
    await impostor.stop();
    expect((await status()).connected).toBe(true);
    expect((await get("/hosts/demo")).status).toBe(200);
  });

  it("accounts for a change when the relay is killed mid-run: what it left running is stopped, history says interrupted, the page says outcome unknown", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:restart": { delayMs: 20_000 } });
    const pending = post("/hosts/demo/apps/api/restart");
    const [running] = await until("the restart to start", () => {
      const r = commandsIn(relay.db, "dokku ps:restart api").filter((e) => e.outcome === "running");
      return r.length > 0 ? r : null;
    });
    // kill -9 of the relay process alone (its log lines carry its pid; tsx runs it as a child).
    const relayPid = Number(/"pid":(\d+)/.exec(relay.proc.output())![1]);
    process.kill(relayPid, "SIGKILL");
    await until("the relay to be gone", () => relay.proc.child.exitCode !== null || relay.proc.child.signalCode !== null);
    // The command outlives its relay for now (no systemd here to stop the unit's cgroup)…
    const left = findOrphans().filter((o) => o.opId === running!.opId);
    expect(left).not.toEqual([]);

    // A new relay on the same database (stack.restart would also stop the old process group).
    const since = Date.now();
    relay.proc = stack.startRelay("demo", { db: relay.db });
    await stack.waitConnected("demo", since);
    // …and the restarted relay stops it, and records when.
    await until("the orphaned command to be stopped", () => !findOrphans().some((o) => o.opId === running!.opId));
    // Only now is the delay lifted: the orphan may still have been starting when the relay died, and
    // a simulator that reads the faults after they were cleared would finish on its own (CI saw it).
    relay.sim.faults({});
    // Dead, not merely re-parented: no such process, or a zombie (state Z) nobody has reaped yet.
    const state = (pid: number) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] === "Z" ? "dead" : stat;
      } catch {
        return "dead";
      }
    };
    expect(left.map((o) => state(o.pid))).toEqual(left.map(() => "dead"));
    const res = await pending;
    expect(res.status).toBe(504);
    const html = await res.text();
    expect(html).toContain("Outcome unknown");
    // The edge says it does not know how the change ended, and points to history (where the
    // relay's own record says interrupted), whether or not it saw the change start first.
    expect(html).toMatch(/interrupted|see history/);
    const rows = commandsIn(relay.db, "dokku ps:restart api");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe("interrupted");
    expect(rows[0]!.finishedAt).toBeGreaterThan(rows[0]!.startedAt);
    // (On failure: the restarted relay's log says what it found at start.)
    expect(rows[0]!.stderr, relay.proc.output().slice(0, 4000)).toContain("the restarted relay stopped what was left of it");
  });

  it("lets a change outlive a dropped socket: the relay reconnects and delivers its real outcome, and it ran once", async () => {
    const relay = stack.relays.demo!;
    await relay.proc.stop();
    const proxy = await startProxy(Number(new URL(stack.url).port));
    relay.proc = stack.startRelay("demo", { db: relay.db, url: proxy.url });
    await stack.waitConnected("demo");

    relay.sim.faults({ "ps:restart": { delayMs: 2500 } });
    const pending = post("/hosts/demo/apps/blog.v2/restart");
    await until("the restart to start", () => commandsIn(relay.db, "dokku ps:restart blog.v2").length > 0);
    proxy.cut();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Restarted blog.v2");

    const rows = await until("the command to finish on the host", () => {
      const r = commandsIn(relay.db, "dokku ps:restart blog.v2");
      return r.length === 1 && r[0]!.outcome !== "running" ? r : null;
    });
    expect(rows[0]).toMatchObject({ outcome: "ok", exitCode: 0 });
    await until("the relay to reconnect", async () => (await status()).connected);
    expect(relay.proc.output()).toContain("disconnected from the edge");
    relay.sim.faults({});
    expect((await get("/hosts/demo")).status).toBe(200);
    expect(commandsIn(relay.db, "dokku ps:restart blog.v2")).toHaveLength(1);

    await relay.proc.stop();
    await proxy.close();
    relay.proc = stack.startRelay("demo", { db: relay.db });
    await stack.waitConnected("demo");
  });

  it("survives the edge restarting mid-op: the request fails loudly, the relay comes back, the command ran once", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:restart": { delayMs: 3000 } });
    const pending = post("/hosts/demo/apps/queue-worker/restart").then(
      (r) => ({ status: r.status }),
      (e: Error) => ({ error: e.message }),
    );
    await until("the restart to start", () => commandsIn(relay.db, "dokku ps:restart queue-worker").length > 0);
    await stack.restartEdge();
    const outcome = await pending;
    // Never a fake success: the connection broke, or the page says it does not know.
    expect("error" in outcome || outcome.status >= 500).toBe(true);

    await stack.login();
    await until("the relay to reconnect to the new edge", async () => (await status()).connected, 60_000);
    expect(relay.proc.output()).toContain("reconnecting");
    const rows = await until("the command to finish", () => {
      const r = commandsIn(relay.db, "dokku ps:restart queue-worker");
      return r.length === 1 && r[0]!.outcome !== "running" ? r : null;
    });
    expect(rows[0]!.outcome).toBe("ok");
    relay.sim.faults({});
    expect(await (await get("/hosts/demo")).text()).toMatch(/data-app="queue-worker">.*?running/);
  });

  it("keeps the newer of two relays with the same host id; the older runs its change to its end, then exits 79", async () => {
    const relay = stack.relays.demo!;
    const older = relay.proc;
    relay.sim.faults({ "ps:rebuild": { stdout: "-----> a long rebuild\n", delayMs: 15_000 } });
    // Its starter waits for the answer (a plain post), which the takeover settles.
    const answer = post("/hosts/demo/apps/api/ps/rebuild").then((r) => r.text());
    const running = await until("the rebuild to run on the older relay", () =>
      commandsIn(relay.db, "dokku ps:rebuild api").find((e) => e.outcome === "running"),
    );
    const newerDb = `${stack.dir}/demo-newer.db`;
    const newer = stack.startRelay("demo", { db: newerDb });
    expect(await answer).toContain("another relay took this host over while this change ran");
    await until("the older relay to exit", () => older.child.exitCode !== null, 30_000);
    relay.sim.faults({});
    expect(older.child.exitCode).toBe(79);
    expect(older.output()).toContain("stopping once the running changes end");
    // The takeover did not stop the change: it ran to its end on the older relay, which recorded it.
    expect(commandsIn(relay.db, "dokku ps:rebuild api").find((e) => e.opId === running.opId)).toMatchObject({ outcome: "ok", exitCode: 0 });
    await until("the newer relay to serve", async () => (await status()).connected);
    expect((await post("/hosts/demo/apps/api/restart")).status).toBe(200);
    expect(commandsIn(newerDb, "dokku ps:restart api")).toHaveLength(1);
    relay.proc = newer;
    relay.db = newerDb;
  });
});

describe("two hosts at once", () => {
  const own = useStack({ hosts: ["alpha", "beta"], seeds: { alpha: "demo", beta: "empty" } });
  beforeAll(() => {
    stack = own;
  });

  it("lists both hosts with their link state and a measured latency", async () => {
    const html = await (await get("/hosts")).text();
    for (const host of ["alpha", "beta"]) {
      expect(html).toMatch(
        new RegExp(`data-host="${host}">.*?<span class="badge up">connected</span>.*?<td data-label="Latency" class="latency">\\d+ ms</td>`, "s"),
      );
    }
  });

  it("scopes every page and every command to its own host", async () => {
    expect(await (await get("/hosts/alpha")).text()).toContain('data-app="api"');
    const beta = await (await get("/hosts/beta")).text();
    expect(beta).toContain("No apps on this host yet.");
    expect(beta).not.toContain('data-app="api"');

    expect((await post("/hosts/alpha/apps/api/restart")).status).toBe(200);
    expect((await post("/hosts/beta/apps/api/restart")).status).toBe(404);
    expect(commandsIn(stack.relays.alpha!.db, "dokku ps:restart api")).toHaveLength(1);
    // beta ran only what its own pages asked of it: its (empty) app list with the all-apps report
    // run beside it, its domains, the refused restart. (the dashboard reads them at once, so their
    // order in history may vary; ps:report's complaint that there are no apps is not read)
    expect(
      historyOf(stack.relays.beta!.db)
        .map((e) => e.argv.join(" "))
        .sort(),
    ).toEqual(["dokku --quiet apps:list", "dokku domains:report", "dokku ps:report", "dokku ps:restart api"]);
    expect(
      historyOf(stack.relays.beta!.db)
        .filter((e) => e.argv[1] !== "ps:report")
        .every((e) => e.exitCode === 0 || e.exitCode === 20),
    ).toBe(true);
  });
});
