import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newEdgeSecrets, toDotenv } from "../../scripts/credentials.js";
import { addHost, signIn, type HostCredentials } from "../../scripts/host.js";
import { startEdge, startRelay, type EdgeOptions, type Proc } from "../../scripts/stack.js";
import { makeSim, type Sim } from "./sim.js";
import { TEST_PASSWORD } from "./worker-secrets.js";

export interface TestRelay {
  host: string;
  sim: Sim;
  db: string;
  proc: Proc;
  restart: (args?: string[]) => Promise<void>;
}

export interface TestStack {
  url: string;
  dir: string;
  edge: Proc & { url: string };
  relays: Record<string, TestRelay>;
  /** Each host's relay credentials, as the edge's host registry gave them when the stack added it. */
  credentials: Record<string, HostCredentials>;
  /** Start (another) relay process for a host, e.g. to test duplicates or policies. */
  startRelay: (host: string, opts?: { args?: string[]; token?: string; publicKey?: string; sim?: Sim; db?: string; url?: string }) => Proc;
  /** Stop wrangler dev and start it again on the same port and state (a deploy, a crash). */
  restartEdge: () => Promise<void>;
  /** Until the host's relay is connected — one that connected at or after `since`, when given. */
  waitConnected: (host: string, since?: number) => Promise<void>;
  login: () => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * The real edge (wrangler dev, workerd) plus one real relay per host, each driving its own
 * simulated Dokku. The edge has only its own secrets; each host is added through its host registry
 * (signed in, as the Hosts page does). Everything lives in a temp directory and on free loopback ports.
 */
export async function startStack(
  opts: {
    hosts?: string[];
    /** Hosts whose relay the test starts itself (e.g. through the installer): credentials only. */
    noRelay?: string[];
    /** The hosts whose relay starts with the stack (default: all); the others never connect until a test starts one. */
    connect?: string[];
    relayArgs?: string[];
    seeds?: Record<string, "demo" | "empty">;
    /** The Dokku version each host's simulator imitates (default: the simulator's own). */
    versions?: Record<string, string>;
    echo?: boolean;
    /** More vars for the edge (e.g. the alert limits, worker/alerts/limits.ts), beside its secrets. */
    edgeVars?: Record<string, string>;
    /** Let GET /__scheduled run the Cron Trigger's handler (wrangler dev --test-scheduled). */
    testScheduled?: boolean;
  } = {},
): Promise<TestStack> {
  const hosts = opts.hosts ?? ["demo"];
  const dir = mkdtempSync(join(tmpdir(), "docklight-stack-"));
  const envFile = join(dir, "edge.env");
  const { DOCKLIGHT_PASSWORD: _pw, ...edgeVars } = await newEdgeSecrets(TEST_PASSWORD);
  writeFileSync(envFile, toDotenv({ ...edgeVars, ...opts.edgeVars }, "", true));
  const edgeOpts: EdgeOptions = { envFile, persistTo: join(dir, "wrangler-state"), echo: opts.echo, testScheduled: opts.testScheduled };
  let edge = await startEdge(edgeOpts);
  // A restarted edge keeps its port: the relays dial it.
  edgeOpts.port = edge.port;
  const procs: Proc[] = [];
  const credentials: Record<string, HostCredentials> = {};
  const admin = await signIn(edge.url, TEST_PASSWORD);
  for (const host of hosts) {
    credentials[host] = await addHost(edge.url, admin, host);
    if (credentials[host].id !== host) throw new Error(`the edge made host id ${credentials[host].id} of the name ${host}`);
  }

  const launch = (host: string, o: { args?: string[]; token?: string; publicKey?: string; sim: Sim; db: string; url?: string }) => {
    const proc = startRelay({
      url: o.url ?? edge.url,
      host,
      token: o.token ?? credentials[host]!.token,
      publicKey: o.publicKey ?? credentials[host]!.publicKey,
      db: o.db,
      dokkuBin: join(import.meta.dirname, "../simulator/dokku"),
      simulator: true,
      env: { ...(o.sim.env as Record<string, string>), DOCKLIGHT_HEARTBEAT_MS: "2000" },
      args: o.args,
      echo: opts.echo,
    });
    procs.push(proc);
    return proc;
  };

  const stack: TestStack = {
    url: edge.url,
    dir,
    get edge() {
      return edge;
    },
    relays: {},
    credentials,
    startRelay: (host, o = {}) => launch(host, { sim: o.sim ?? stack.relays[host]!.sim, db: o.db ?? join(dir, `${host}-extra.db`), ...o }),
    async restartEdge() {
      await edge.stop();
      edge = await startEdge(edgeOpts);
    },
    async waitConnected(host, since = 0) {
      const cookie = await stack.login();
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${edge.url}/hosts/${host}/status.json`, { headers: { cookie } });
        const s = res.ok ? ((await res.json()) as { connected: boolean; connectedAt: number | null }) : null;
        if (s?.connected && (s.connectedAt ?? 0) >= since) return;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`relay for ${host} did not connect:\n${stack.relays[host]?.proc.output() ?? ""}`);
    },
    login: () => signIn(edge.url, TEST_PASSWORD),
    async stop() {
      await Promise.all(procs.map((p) => p.stop()));
      await edge.stop();
      for (const r of Object.values(stack.relays)) r.sim.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const launched = (opts.connect ?? hosts).filter((h) => !opts.noRelay?.includes(h));
  for (const host of launched) {
    const version = opts.versions?.[host];
    const sim = makeSim({ seed: opts.seeds?.[host] ?? "demo", ...(version ? { version } : {}) });
    const db = join(dir, `${host}.db`);
    const relay: TestRelay = {
      host,
      sim,
      db,
      proc: launch(host, { sim, db, args: opts.relayArgs }),
      async restart(args) {
        await relay.proc.stop();
        // The hub may not have seen the old socket close yet: wait for the new relay itself.
        const since = Date.now();
        relay.proc = launch(host, { sim, db, args: args ?? opts.relayArgs });
        await stack.waitConnected(host, since);
      },
    };
    stack.relays[host] = relay;
  }
  for (const host of launched) await stack.waitConnected(host);
  return stack;
}
