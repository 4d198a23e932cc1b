import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { newLocalVars, toDotenv, type LocalVars } from "./credentials.js";
import { buildRelay } from "./build-relay.js";
import { ROOT, startEdge, startRelay } from "./stack.js";
import "./copy-assets.js";

/**
 * `npm start`: a local edge (wrangler dev) and a relay dialling out to it. On first run it writes
 * .dev.vars with a random admin password, session secret, op-signing key and relay credentials.
 * Without `dokku` on the PATH (or DOKKU_BIN), the relay drives the Dokku simulator.
 */
const devVarsPath = resolve(ROOT, ".dev.vars");
const required: Array<keyof LocalVars> = [
  "DOCKLIGHT_PASSWORD_HASH",
  "SESSION_SECRET",
  "OP_SIGNING_KEY",
  "RELAY_TOKEN_HASHES",
  "DOCKLIGHT_HOST_ID",
  "DOCKLIGHT_RELAY_TOKEN",
  "DOCKLIGHT_OP_PUBLIC_KEY",
];

async function localVars(): Promise<Record<string, string>> {
  if (!existsSync(devVarsPath)) {
    const vars = await newLocalVars();
    writeFileSync(
      devVarsPath,
      toDotenv(
        { ...vars },
        "# Local secrets for `npm start`, generated on first run. Never commit this file.\n" +
          "# DOCKLIGHT_PASSWORD is the admin password in plain text, kept here only for local use;\n" +
          "# the edge itself only reads DOCKLIGHT_PASSWORD_HASH.\n",
      ),
      { mode: 0o600 },
    );
    console.log("Wrote .dev.vars with fresh local secrets.");
  }
  const vars = parseEnv(readFileSync(devVarsPath, "utf8")) as Record<string, string>;
  const missing = required.filter((k) => !vars[k]);
  if (missing.length > 0) {
    console.error(`.dev.vars lacks ${missing.join(", ")}. Delete it and run npm start again to regenerate it.`);
    process.exit(1);
  }
  return vars;
}

const vars = await localVars();
// The local edge serves the relay artifact and /install.sh as production does.
await buildRelay();
const port = Number(process.env.PORT ?? 8787);
const dataDir = resolve(ROOT, "data");
mkdirSync(dataDir, { recursive: true });

console.log(`Starting the edge on http://127.0.0.1:${port} …`);
const edge = await startEdge({ port, echo: true });
const relay = startRelay({
  url: edge.url,
  host: vars.DOCKLIGHT_HOST_ID!,
  token: vars.DOCKLIGHT_RELAY_TOKEN!,
  publicKey: vars.DOCKLIGHT_OP_PUBLIC_KEY!,
  db: resolve(dataDir, "relay.db"),
  dokkuBin: process.env.DOKKU_BIN,
  // The demo: without DOKKU_BIN the relay drives the simulator, which it never does unless told.
  simulator: !process.env.DOKKU_BIN,
  simDir: process.env.DOKKU_SIM_DIR ?? resolve(dataDir, "simulator"),
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

/** Until the relay logs that it is connected (relay/link.ts: "connected to the edge"), it exits, or `ms` pass. */
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
