import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

/**
 * Starts the pieces of a local Docklight: the edge under `wrangler dev` (workerd) and relays that
 * dial out to it. `npm start` and the integration and browser tests all go through here.
 */
export const ROOT = resolve(import.meta.dirname, "..");
const WRANGLER = resolve(ROOT, "node_modules/.bin/wrangler");
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

export const quietWranglerEnv = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG: process.env.WRANGLER_LOG ?? "warn",
};

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

function track(child: ChildProcess, echo: boolean): Proc {
  let out = "";
  const collect = (d: Buffer) => {
    out += d.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    if (echo) process.stdout.write(d);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return {
    child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      try {
        process.kill(-child.pid!, signal);
      } catch {
        child.kill(signal);
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // gone
        }
      }, 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface EdgeOptions {
  /**
   * The edge's port. Omitted: a free one, chosen again if another process takes it before wrangler
   * binds it (a port found free stays free only by chance: any process may take it meanwhile, an
   * outgoing connection's source port included).
   */
  port?: number;
  /** dotenv file of secrets; without it wrangler reads .dev.vars. */
  envFile?: string;
  persistTo?: string;
  echo?: boolean;
  /** Let GET /__scheduled run the Cron Trigger's handler (`--test-scheduled`; it answers once the checks ended). */
  testScheduled?: boolean;
}

/** How many times startEdge starts wrangler dev again when a port it was given was taken meanwhile. */
const PORT_TAKEN_RETRIES = 3;

/**
 * `wrangler dev` on 127.0.0.1:PORT; resolves when /api/health answers. `inspectorPort`: its
 * DevTools protocol port (a benchmark's CPU profile of the Worker: bench/workerd-profile.ts).
 * When wrangler exits because a port is in use, it starts again on fresh ports (the edge's own
 * only when `opts.port` was omitted); `pickPort` finds them (freePort; a test can pass its own).
 */
export async function startEdge(
  opts: EdgeOptions,
  pickPort: () => Promise<number> = freePort,
): Promise<Proc & { url: string; port: number; inspectorPort: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = opts.port ?? (await pickPort());
    const inspectorPort = await pickPort();
    const started = await startEdgeOn(opts, port, inspectorPort);
    if ("proc" in started) return { ...started.proc, url: started.url, port, inspectorPort };
    if (!started.portTaken || attempt >= PORT_TAKEN_RETRIES) throw started.error;
  }
}

async function startEdgeOn(
  opts: EdgeOptions,
  port: number,
  inspectorPort: number,
): Promise<{ proc: Proc; url: string } | { error: Error; portTaken: boolean }> {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--inspector-port", String(inspectorPort)];
  if (opts.envFile) args.push("--env-file", opts.envFile);
  if (opts.persistTo) args.push("--persist-to", opts.persistTo);
  if (opts.testScheduled) args.push("--test-scheduled");
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    env: { ...process.env, ...quietWranglerEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const proc = track(child, opts.echo ?? false);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const output = proc.output();
      return { error: new Error(`wrangler dev exited (${child.exitCode}):\n${output}`), portTaken: /Address already in use/i.test(output) };
    }
    try {
      // Bounded: whatever else holds the port may never answer.
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return { proc, url };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await proc.stop();
  return { error: new Error(`wrangler dev did not come up on ${url}:\n${proc.output()}`), portTaken: false };
}

export interface RelayOptions {
  url: string;
  host: string;
  token: string;
  publicKey: string;
  db: string;
  /** A dokku executable; omitted means dokku on the PATH (or, with `simulator`, the simulator). */
  dokkuBin?: string;
  /** Drive the Dokku simulator (`--simulator`; dokkuBin, when given, names the simulator). */
  simulator?: boolean;
  simDir?: string;
  args?: string[];
  env?: Record<string, string>;
  echo?: boolean;
  /** Run node with the V8 flags the relay's systemd unit gives it (unitNodeFlags), tsx as a loader in the same process. */
  unitFlags?: boolean;
  /** Run this built relay.mjs (an unpacked artifact, see unpackRelayArtifact) as its unit does, instead of the checkout. */
  artifact?: string;
}

/**
 * The V8 flags the installed relay's unit runs node with: `NODE_FLAGS` in deploy/install.sh, the
 * one place they are set (a bench that weighs the relay runs it the same way).
 */
export function unitNodeFlags(): string[] {
  const line = /^NODE_FLAGS="([^"]*)"$/m.exec(readFileSync(resolve(ROOT, "deploy/install.sh"), "utf8"));
  if (!line) throw new Error("deploy/install.sh sets no NODE_FLAGS");
  return line[1]!.split(" ").filter(Boolean);
}

export function startRelay(opts: RelayOptions): Proc {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKLIGHT_URL: opts.url,
    DOCKLIGHT_HOST_ID: opts.host,
    DOCKLIGHT_RELAY_TOKEN: opts.token,
    DOCKLIGHT_OP_PUBLIC_KEY: opts.publicKey,
    DOCKLIGHT_DB: opts.db,
    ...(opts.dokkuBin ? { DOKKU_BIN: opts.dokkuBin } : {}),
    ...(opts.simDir ? { DOKKU_SIM_DIR: opts.simDir } : {}),
    ...opts.env,
  };
  const args = [...(opts.simulator ? ["--simulator"] : []), ...(opts.args ?? [])];
  const main = resolve(ROOT, "relay/cli/main.ts");
  const [bin, argv] = opts.artifact
    ? [process.execPath, [...unitNodeFlags(), opts.artifact, "run", ...args]]
    : opts.unitFlags
      ? [process.execPath, [...unitNodeFlags(), "--import", "tsx", main, ...args]]
      : [TSX, [main, ...args]];
  const child = spawn(bin, argv, {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return track(child, opts.echo ?? false);
}
