import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toDotenv } from "../scripts/credentials.js";
import { freePort, startEdge } from "../scripts/stack.js";
import { testVars, TEST_PASSWORD } from "../test/support/worker-secrets.js";

/** A local edge (wrangler dev) for a benchmark, signed in: its URL, session cookie and credentials. */
export async function benchEdge(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `docklight-${name}-`));
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
    async stop(): Promise<void> {
      await edge.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
