import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { newEdgeSecrets, toDotenv, type EdgeSecrets } from "./credentials.js";
import { addHost, rotateHostToken, signIn, tokenAccepted } from "./host.js";
import { ROOT, startEdge, startRelay } from "./stack.js";

/**
 * `npm start`: a local edge (wrangler dev) and a relay dialling out to it. On first run it writes
 * .dev.vars with a random admin password and session secret; then it adds the host "demo" through
 * the edge's host registry, as the Hosts page does, and keeps the relay's credentials in
 * data/relay.env. Without `dokku` on the PATH (or DOKKU_BIN), the relay drives the Dokku simulator.
 */
const devVarsPath = resolve(ROOT, ".dev.vars");
const dataDir = resolve(ROOT, "data");
const relayEnvPath = resolve(dataDir, "relay.env");
const HOST = "demo";
const required: Array<keyof EdgeSecrets> = ["DOCKLIGHT_PASSWORD", "DOCKLIGHT_PASSWORD_HASH", "SESSION_SECRET"];

const readDotenv = (path: string) => (existsSync(path) ? (parseEnv(readFileSync(path, "utf8")) as Record<string, string>) : null);

function localVars(): Record<string, string> {
  if (!existsSync(devVarsPath)) return {};
  const vars = readDotenv(devVarsPath)!;
  const missing = required.filter((k) => !vars[k]);
  if (missing.length > 0) {
    console.error(`.dev.vars lacks ${missing.join(", ")}. Delete it and run npm start again to regenerate it.`);
    process.exit(1);
  }
  return vars;
}

let vars = localVars();
if (!vars.DOCKLIGHT_PASSWORD) {
  vars = { ...(await newEdgeSecrets()) };
  const header =
    "# Local secrets for `npm start`, generated on first run. Never commit this file.\n" +
    "# DOCKLIGHT_PASSWORD is the admin password in plain text, kept here only for local use;\n" +
    "# the edge itself only reads DOCKLIGHT_PASSWORD_HASH.\n";
  writeFileSync(devVarsPath, toDotenv(vars, header), { mode: 0o600 });
  console.log("Wrote .dev.vars with fresh local secrets.");
}

/**
 * The demo relay's credentials: data/relay.env's (or, from a checkout set up before the host
 * registry, .dev.vars') while the edge accepts them; else the demo host's token is rotated, or the
 * host added, through the edge, and the new ones written to data/relay.env.
 */
async function relayCredentials(url: string): Promise<{ host: string; token: string; publicKey: string }> {
  for (const file of [relayEnvPath, devVarsPath]) {
    const v = readDotenv(file);
    if (
      v?.DOCKLIGHT_HOST_ID &&
      v.DOCKLIGHT_RELAY_TOKEN &&
      v.DOCKLIGHT_OP_PUBLIC_KEY &&
      (await tokenAccepted(url, v.DOCKLIGHT_HOST_ID, v.DOCKLIGHT_RELAY_TOKEN))
    ) {
      return { host: v.DOCKLIGHT_HOST_ID, token: v.DOCKLIGHT_RELAY_TOKEN, publicKey: v.DOCKLIGHT_OP_PUBLIC_KEY };
    }
  }
  const cookie = await signIn(url, vars.DOCKLIGHT_PASSWORD!).catch((e: Error) => {
    throw new Error(`${e.message}: npm start signs in with DOCKLIGHT_PASSWORD from .dev.vars to add the demo host (is two-factor sign-in on?)`);
  });
  const creds = await rotateHostToken(url, cookie, HOST).catch(() => addHost(url, cookie, HOST));
  writeFileSync(
    relayEnvPath,
    toDotenv(
      { DOCKLIGHT_HOST_ID: creds.id, DOCKLIGHT_RELAY_TOKEN: creds.token, DOCKLIGHT_OP_PUBLIC_KEY: creds.publicKey },
      "# The demo relay's credentials, from the local edge's host registry (npm start).\n",
    ),
    { mode: 0o600 },
  );
  console.log(`Enrolled host ${creds.id} on the local edge; its relay credentials are in data/relay.env.`);
  return { host: creds.id, token: creds.token, publicKey: creds.publicKey };
}

// wrangler dev builds the assets first (wrangler.toml's [build]): the local edge serves the relay
// artifact and /install.sh as production does.
const port = Number(process.env.PORT ?? 8787);
mkdirSync(dataDir, { recursive: true });

console.log(`Starting the edge on http://127.0.0.1:${port} …`);
const edge = await startEdge({ port, echo: true });
const creds = await relayCredentials(edge.url).catch(async (e: Error) => {
  console.error(`could not enroll the demo host: ${e.message}`);
  await edge.stop();
  process.exit(1);
});
const relay = startRelay({
  url: edge.url,
  host: creds.host,
  token: creds.token,
  publicKey: creds.publicKey,
  db: resolve(dataDir, "relay.db"),
  dokkuBin: process.env.DOKKU_BIN,
  // The demo: without DOKKU_BIN the relay drives the simulator, which it never does unless told.
  simulator: !process.env.DOKKU_BIN,
  simDir: process.env.DOKKU_SIM_DIR ?? resolve(dataDir, "simulator"),
  // The demo's deploys print a step every 0.4 s, so a change runs long enough to leave it, come
  // back to it, or cancel it (tests run the simulator at full speed).
  env: { DOKKU_SIM_STEP_MS: process.env.DOKKU_SIM_STEP_MS ?? "400" },
  echo: true,
});

// The first page a newcomer opens should be the real one: say where it is once the relay is connected.
const connected = await relayConnected(relay, 60_000);
if (!connected) console.log("The relay has not connected yet (see its log above); the page will say it is waiting for it.");

console.log(`
  Docklight is running.
    URL:       ${edge.url}
    Password:  ${vars.DOCKLIGHT_PASSWORD ?? "(see DOCKLIGHT_PASSWORD in .dev.vars)"}
  Stop with Ctrl-C.
`);

/** Until the relay logs that it is connected (relay/link/socket.ts: "connected to the edge"), it exits, or `ms` pass. */
async function relayConnected(proc: typeof relay, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    if (proc.output().includes('"msg":"connected to the edge"')) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all([relay.stop(), edge.stop()]);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
relay.child.on("exit", (code) => {
  if (!stopping) console.error(`the relay exited (${code}); see its log above`);
});
edge.child.on("exit", (code) => {
  if (!stopping) {
    console.error(`wrangler dev exited (${code})`);
    void stop();
  }
});
