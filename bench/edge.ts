import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRelay } from "../scripts/build-relay.js";
import { toDotenv } from "../scripts/credentials.js";
import { ROOT, startEdge, startRelay, type Proc } from "../scripts/stack.js";
import { testVars, TEST_PASSWORD } from "../test/support/worker-secrets.js";

/**
 * The relay as it ships: built (`npm run build:relay`'s artifact, not published), unpacked under
 * `dir`, with this checkout's node_modules beside it (better-sqlite3: this machine cannot download
 * its prebuilt binary). Returns the path of its relay.mjs.
 */
export async function unpackRelayArtifact(dir: string): Promise<string> {
  const built = await buildRelay({ out: join(dir, "relay-build"), publish: false });
  const into = join(dir, "relay-artifact");
  mkdirSync(into, { recursive: true });
  execFileSync("tar", ["-xzf", join(built.out, built.file), "-C", into]);
  symlinkSync(join(ROOT, "node_modules"), join(into, "docklight-relay", "node_modules"));
  return join(into, "docklight-relay", "relay.mjs");
}

/** A local edge (wrangler dev) for a benchmark, signed in: its URL, session cookie and credentials. */
export async function benchEdge(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `docklight-${name}-`));
  const vars = await testVars();
  const { tokens: _t, DOCKLIGHT_PASSWORD: _p, DOCKLIGHT_HOST_ID: _h, DOCKLIGHT_RELAY_TOKEN: _r, DOCKLIGHT_OP_PUBLIC_KEY: _k, ...edgeVars } = vars;
  writeFileSync(join(dir, "edge.env"), toDotenv(edgeVars, "", true));
  const edge = await startEdge({ envFile: join(dir, "edge.env"), persistTo: join(dir, "state") });
  const login = await fetch(`${edge.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: edge.url },
    body: new URLSearchParams({ password: TEST_PASSWORD }),
    redirect: "manual",
  });
  const cookie = /(docklight_session=[^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error(`could not sign in to the bench edge: ${login.status}`);
  return {
    edge,
    vars,
    cookie,
    dir,
    async connected(host = "demo"): Promise<boolean> {
      const res = await fetch(`${edge.url}/hosts/${host}/status.json`, { headers: { cookie } });
      return ((await res.json()) as { connected: boolean }).connected;
    },
    /**
     * Start a relay for host "demo" on the simulator (`dokkuBin`), its history in this bench's
     * directory, and wait until the edge has its new connection (its hello empties the hub's read
     * cache); throws with the relay's output after 30 s.
     */
    async relay(opts: { dokkuBin: string; env: Record<string, string>; unitFlags?: boolean; artifact?: string }): Promise<Proc> {
      const since = Date.now();
      const relay = startRelay({
        url: edge.url,
        host: "demo",
        token: vars.DOCKLIGHT_RELAY_TOKEN,
        publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY,
        db: join(dir, "relay.db"),
        dokkuBin: opts.dokkuBin,
        env: opts.env,
        ...(opts.unitFlags ? { unitFlags: true } : {}),
        ...(opts.artifact ? { artifact: opts.artifact } : {}),
      });
      for (let i = 0; i < 300; i++) {
        const res = await fetch(`${edge.url}/hosts/demo/status.json`, { headers: { cookie } });
        const s = (await res.json()) as { connected: boolean; connectedAt: number | null };
        if (s.connected && (s.connectedAt ?? 0) >= since - 1000) return relay;
        await new Promise((r) => setTimeout(r, 100));
      }
      await relay.stop();
      throw new Error(`relay did not connect:\n${relay.output()}`);
    },
    async stop(): Promise<void> {
      await edge.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
