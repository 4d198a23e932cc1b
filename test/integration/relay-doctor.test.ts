import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { CLOSE_INCOMPATIBLE, PROTOCOL_VERSION, protocolMismatch, type HelloFrame } from "../../protocol/frames.js";
import { EDGE_SERVICE } from "../../protocol/health.js";
import { run } from "../../relay/process/run.js";
import { freePort, ROOT, startRelay } from "../../scripts/stack.js";
import { makeSim, SIMULATOR, type Sim } from "../support/sim.js";
import { testVars } from "../support/worker-secrets.js";

/**
 * `docklight-relay doctor` and the relay's permanent refusals, against stand-ins for the edge: one
 * whose clock is off (its replies' Date header), none at all, and one that refuses the relay's
 * protocol version the way the HostHub does.
 */
const TSX = join(ROOT, "node_modules/.bin/tsx");
let vars: Awaited<ReturnType<typeof testVars>>;
let sim: Sim;
let dir: string;
let clockServer: Server;
let clockUrl: string;
let edgeOffsetMs = 0;

function settings(url: string): NodeJS.ProcessEnv {
  return {
    ...sim.env,
    DOCKLIGHT_URL: url,
    DOCKLIGHT_HOST_ID: "demo",
    DOCKLIGHT_RELAY_TOKEN: vars.DOCKLIGHT_RELAY_TOKEN,
    DOCKLIGHT_OP_PUBLIC_KEY: vars.DOCKLIGHT_OP_PUBLIC_KEY,
    DOCKLIGHT_DB: join(dir, "relay.db"),
    DOCKLIGHT_SIMULATOR: "1",
    DOKKU_BIN: SIMULATOR,
  };
}
const doctor = (url: string) => run(TSX, [join(ROOT, "relay/cli/main.ts"), "doctor"], { timeoutMs: 60_000, env: settings(url) });

beforeAll(async () => {
  vars = await testVars();
  sim = makeSim();
  dir = mkdtempSync(join(tmpdir(), "docklight-doctor-"));
  // An "edge" whose clock is edgeOffsetMs away from ours; it answers /api/health as the edge does, and nothing else.
  clockServer = createServer((_req, res) => {
    res.setHeader("date", new Date(Date.now() + edgeOffsetMs).toUTCString());
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ status: "ok", service: EDGE_SERVICE }));
  });
  clockServer.listen(0, "127.0.0.1");
  await once(clockServer, "listening");
  clockUrl = `http://127.0.0.1:${(clockServer.address() as { port: number }).port}`;
});

afterAll(() => {
  clockServer?.close();
  sim?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("docklight-relay doctor", () => {
  it("says plainly when this host's clock is ahead of the edge's, and fails", async () => {
    edgeOffsetMs = -600_000;
    const res = await doctor(clockUrl);
    expect(res.exitCode).toBe(1);
    const seconds = Number(/FAIL +clock +this host's clock is (\d+) s ahead of the edge's/.exec(res.stdout)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(598);
    expect(seconds).toBeLessThanOrEqual(602);
    expect(res.stdout).toContain("every op will be refused as expired or not yet valid");
  });

  it("says when it is behind, and passes a clock within the relay's tolerance", async () => {
    edgeOffsetMs = 120_000;
    expect((await doctor(clockUrl)).stdout).toMatch(/FAIL +clock +this host's clock is 1(19|20|21) s behind the edge's/);
    edgeOffsetMs = 2_000;
    expect((await doctor(clockUrl)).stdout).toMatch(/ok +clock +this host's clock is \d s behind the edge's/);
  });

  it("reports an unreachable edge, and does not pretend to check the token or the clock", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const res = await doctor(url);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`FAIL +edge +cannot reach ${url}: ECONNREFUSED`));
    expect(res.stdout).toMatch(/skip +token +not checked: the edge is unreachable/);
    expect(res.stdout).toMatch(/skip +clock +not checked/);
    expect(res.stdout).toMatch(/ok +dokku +0\.35\.20 at .* \(the simulator\)/);
  });
});

describe("docklight-relay doctor against a server that is not a Docklight edge", () => {
  it("says so, and checks neither the clock nor the token against it", async () => {
    // A web server at DOCKLIGHT_URL (a default site, or another app's health check), its clock 10 minutes off.
    for (const [type, body] of [
      ["text/html", "<h1>Welcome to nginx!</h1>"],
      ["application/json", '{"status":"ok"}'],
    ] as const) {
      const stranger = createServer((_req, res) => {
        res.writeHead(200, { "content-type": type, date: new Date(Date.now() - 600_000).toUTCString() });
        res.end(body);
      });
      stranger.listen(0, "127.0.0.1");
      await once(stranger, "listening");
      const url = `http://127.0.0.1:${(stranger.address() as { port: number }).port}`;
      try {
        const res = await doctor(url);
        expect(res.exitCode).toBe(1);
        expect(res.stdout).toMatch(
          new RegExp(`FAIL +edge +${url} answers \\(GET /api/health: HTTP 200, ${type}\\) but is not a Docklight edge: check DOCKLIGHT_URL`),
        );
        expect(res.stdout).toMatch(/skip +clock +not checked: not a Docklight edge/);
        expect(res.stdout).toMatch(/skip +token +not checked: not a Docklight edge/);
        expect(res.stdout).not.toContain("this host's clock is");
      } finally {
        stranger.close();
      }
    }
  });
});

describe("a relay without dokku", () => {
  it("exits 78 saying so, and never falls back to the simulator unless asked", async () => {
    const { DOCKLIGHT_SIMULATOR: _s, DOKKU_BIN: _b, ...env } = settings(clockUrl);
    const res = await run(TSX, [join(ROOT, "relay/cli/main.ts")], {
      timeoutMs: 60_000,
      env: { ...env, PATH: `${join(ROOT, "node_modules/.bin")}:/usr/bin:/bin` },
    });
    expect(res.exitCode).toBe(78);
    expect(res.stdout).toContain("dokku was not found on the PATH");
    expect(res.stdout).toContain("--simulator");
  });
});

describe("a relay the edge refuses for its protocol version", () => {
  it("sends its versions in the hello, logs the edge's reason and exits 78", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/relay/connect" });
    await once(wss, "listening");
    const hellos: HelloFrame[] = [];
    wss.on("connection", (ws) =>
      ws.on("message", (data) => {
        const hello = JSON.parse(data.toString()) as HelloFrame;
        hellos.push(hello);
        // What the HostHub does for a relay older than the edge.
        ws.close(CLOSE_INCOMPATIBLE, protocolMismatch(hello.protocolVersion, hello.protocolVersion + 1)!);
      }),
    );
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    const env = settings(url);
    const relay = startRelay({
      url,
      host: "demo",
      token: env.DOCKLIGHT_RELAY_TOKEN!,
      publicKey: env.DOCKLIGHT_OP_PUBLIC_KEY!,
      db: env.DOCKLIGHT_DB!,
      dokkuBin: SIMULATOR,
      simulator: true,
      env: sim.env as Record<string, string>,
    });
    const [code] = (await once(relay.child, "exit")) as [number | null];
    wss.close();
    expect(code, relay.output()).toBe(78);
    expect(hellos).toHaveLength(1);
    expect(hellos[0]).toMatchObject({ protocolVersion: PROTOCOL_VERSION, relayVersion: expect.any(String) });
    expect(relay.output()).toContain("the edge refused this relay's protocol: relay protocol");
    expect(relay.output()).toContain("upgrade the relay");
    expect(JSON.parse(readFileSync(join(dir, "relay.status.json"), "utf8"))).toMatchObject({ state: "refused" });
  });
});
