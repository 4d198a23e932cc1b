import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../relay/process/run.js";
import { buildRelay } from "../../scripts/build-relay.js";
import { readRootManifest } from "../../scripts/relay-manifest.js";
import { ROOT } from "../../scripts/stack.js";
import { historyOf, until } from "../support/history.js";
import { filesUnder, installFromEdge, installScript, layout, modeOf, NODE_MODULES, simulatorSettings } from "../support/installer.js";
import { makeSim, type Sim } from "../support/sim.js";
import { startStack, type TestStack } from "../support/stack.js";

/**
 * The relay as users get it: `npm run build:relay` makes the artifact, the local edge (wrangler
 * dev) serves it with install.sh, and the one command installs it under a temp prefix, where it
 * must start and connect with nothing from this checkout. Then re-running upgrades in place
 * keeping history, and --uninstall removes everything.
 */
const HOST = "box";
const VERSION = readRootManifest(ROOT).version;
const UPGRADE = `${VERSION}-test.2`;
let stack: TestStack;
let sim: Sim;
let prefix: string;
let upgradeDir: string;
let cookie: string;
let p: ReturnType<typeof layout>;

const status = async () =>
  (await (await fetch(`${stack.url}/hosts/${HOST}/status.json`, { headers: { cookie } })).json()) as { connected: boolean; relayVersion: string | null; simulated: boolean };
const relayPid = () => Number(readFileSync(p.pidFile, "utf8"));
/** A live process's argv, or null once it is gone (a zombie's cmdline is empty). */
const argvOf = (pid: number) => {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return argv.length > 0 ? argv : null;
  } catch {
    return null;
  }
};

beforeAll(async () => {
  await buildRelay();
  upgradeDir = mkdtempSync(join(tmpdir(), "docklight-upgrade-"));
  await buildRelay({ version: UPGRADE, out: upgradeDir, publish: false });
  stack = await startStack({ hosts: ["demo", HOST], noRelay: [HOST] });
  cookie = await stack.login();
  sim = makeSim();
  prefix = mkdtempSync(join(tmpdir(), "docklight-prefix-"));
  p = layout(prefix);
});

afterAll(async () => {
  if (prefix && existsSync(p.pidFile)) await installScript(["--prefix", prefix, "--uninstall", "--purge"]);
  await stack?.stop();
  sim?.cleanup();
  for (const dir of [prefix, upgradeDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("installing the relay artifact with the one command", () => {
  it("installs from the edge, and the artifact connects from a folder holding only what the installer put there", async () => {
    const { token, publicKey } = stack.credentials[HOST]!;
    const args = ["--url", stack.url, "--host", HOST, "--token", token, "--key", publicKey, "--prefix", prefix];
    const res = await installFromEdge(stack.url, [...args, "--modules-from", NODE_MODULES, ...simulatorSettings(sim)]);
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`docklight-relay ${VERSION} is connected to ${stack.url} as host ${HOST}`);
    expect(res.stdout + res.stderr + readFileSync(p.log, "utf8")).not.toContain(token);

    await stack.waitConnected(HOST);
    expect(await status()).toMatchObject({ connected: true, relayVersion: VERSION, simulated: true });

    // The running process is the artifact under the prefix, and loads nothing from this checkout.
    const pid = relayPid();
    // node [flags…] relay.mjs run: the flags the unit gives node too (deploy/install.sh)
    const argv = argvOf(pid)!;
    expect(argv.slice(-2)).toEqual([p.relay, "run"]);
    expect(argv.slice(1, -2)).toEqual(["--lite-mode", "--max-semi-space-size=1"]);
    const mapped = readFileSync(`/proc/${pid}/maps`, "utf8");
    expect(mapped).toContain(join(prefix, "opt/docklight-relay/releases", VERSION, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"));
    for (const checkout of [ROOT, realpathSync(NODE_MODULES)]) expect(mapped).not.toContain(checkout);

    const release = join(p.home, "current");
    expect(readdirSync(release).sort()).toEqual([".node-version", "THIRD_PARTY_LICENSES.txt", "docklight-relay.service", "migrations", "node_modules", "package-lock.json", "package.json", "relay.mjs"]);
    expect(readdirSync(join(release, "node_modules")).sort()).toEqual(["better-sqlite3", "bindings", "file-uri-to-path"]);
    const manifest = JSON.parse(readFileSync(join(release, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies?: unknown };
    expect(manifest.dependencies).toEqual({ "better-sqlite3": readRootManifest(ROOT).dependencies["better-sqlite3"] });
    expect(manifest.devDependencies).toBeUndefined();
    expect(modeOf(p.envFile)).toBe(0o600);

    // And it serves ops: the apps page runs apps.list through it.
    const page = await fetch(`${stack.url}/hosts/${HOST}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("api");
  });

  it("doctor says all is well with the installed settings", async () => {
    const res = await run(p.wrapper, ["doctor"], { timeoutMs: 60_000 });
    expect(res.exitCode, res.stdout).toBe(0);
    expect(res.stdout).toMatch(/ok +dokku +0\.35\.20 at /);
    expect(res.stdout).toMatch(/ok +sqlite +better-sqlite3 loads/);
    expect(res.stdout).toMatch(/ok +token +accepted for host box/);
    expect(res.stdout).toMatch(new RegExp(`ok +relay +connected since .*version ${VERSION.replace(/\./g, "\\.")}`));
  });

  it("a wrong token: doctor says the edge refused it, and the relay exits 78 saying so", async () => {
    // Another database, so doctor does not read the running relay's status and probes the edge itself.
    const env = { ...process.env, DOCKLIGHT_RELAY_TOKEN: "w".repeat(43), DOCKLIGHT_DB: join(prefix, "scratch/other.db") };
    const doctor = await run(p.wrapper, ["doctor"], { timeoutMs: 60_000, env });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL +token +refused \(HTTP 401\) for host box/);
    const relay = await run(p.wrapper, ["run"], { timeoutMs: 60_000, env });
    expect(relay.exitCode).toBe(78);
    expect(relay.stdout).toContain("the edge refused this relay's token (HTTP 401)");
    expect((await status()).connected).toBe(true); // the installed relay was not displaced
    rmSync(join(prefix, "scratch"), { recursive: true });
  });

  it("refuses an artifact whose checksum is not the one asked for, and changes nothing", async () => {
    const res = await installScript(["--prefix", prefix, "--artifact-base", `file://${upgradeDir}`, "--sha256", "0".repeat(64)]);
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain(`expected ${"0".repeat(64)}: not installing it`);
    expect(readdirSync(join(p.home, "releases"))).toEqual([VERSION]);
    expect((await status()).relayVersion).toBe(VERSION);
  });

  it("re-running the installer upgrades in place, keeps history and the local settings", async () => {
    const before = historyOf(p.db);
    expect(before.length).toBeGreaterThan(0);
    const since = Date.now();
    // No credentials and no --modules-from: settings come from relay.env, better-sqlite3 from the previous release.
    const res = await installScript(["--prefix", prefix, "--artifact-base", `file://${upgradeDir}`]);
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("reusing better-sqlite3");
    expect(res.stdout).toContain(`docklight-relay ${UPGRADE} is connected`);
    await stack.waitConnected(HOST, since);
    expect((await status()).relayVersion).toBe(UPGRADE);
    expect(readdirSync(join(p.home, "releases"))).toEqual([UPGRADE]);

    const after = historyOf(p.db).map((e) => e.id);
    for (const e of before) expect(after).toContain(e.id);
    const settings = readFileSync(p.envFile, "utf8");
    expect(settings.match(/^DOCKLIGHT_URL=/gm)).toHaveLength(1);
    expect(settings).toContain(`DOCKLIGHT_RELAY_TOKEN=${stack.credentials[HOST]!.token}`);
    expect(settings).toContain(`DOKKU_SIM_DIR=${sim.dir}`);
  });

  it("installs a systemd unit that verifies", async () => {
    const unit = readFileSync(p.unit, "utf8");
    expect(unit).not.toMatch(/@[A-Z_]+@/);
    const service = Object.fromEntries(
      unit
        .slice(unit.indexOf("[Service]"), unit.indexOf("[Install]"))
        .split("\n")
        .filter((l) => /^[A-Za-z]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(service).toMatchObject({ RestartPreventExitStatus: "78 79", Restart: "on-failure", EnvironmentFile: p.envFile });
    const [node, ...rest] = service.ExecStart!.split(" ");
    const flags = rest.slice(0, -2);
    expect(flags.every((f) => f.startsWith("--")), service.ExecStart).toBe(true);
    // node takes the flags the unit gives it
    expect((await run(node!, [...flags, "-e", "process.exit(0)"], { timeoutMs: 10_000 })).exitCode).toBe(0);
    expect(rest.slice(-2)).toEqual([p.relay, "run"]);
    expect((await run("id", [service.User!], { timeoutMs: 5_000 })).exitCode).toBe(0);

    const analyzer = await run("sh", ["-c", "command -v systemd-analyze"], { timeoutMs: 5_000 });
    if (analyzer.exitCode === 0) {
      const verify = await run(analyzer.stdout.trim(), ["verify", p.unit], { timeoutMs: 30_000 });
      expect(verify.exitCode, verify.stderr).toBe(0);
      expect(verify.stderr).toBe(""); // unknown keys are only warned about
    }
  });

  it("--uninstall stops the relay and leaves only the history; --purge leaves nothing", async () => {
    const pid = relayPid();
    const res = await installScript(["--prefix", prefix, "--uninstall"]);
    expect(res.exitCode, res.stderr).toBe(0);
    await until("the relay to stop", () => argvOf(pid) === null);
    expect(filesUnder(prefix)).toEqual(["var/lib/docklight/relay.db"]);
    await until("the edge to see the relay gone", async () => !(await status()).connected);

    expect((await installScript(["--prefix", prefix, "--uninstall", "--purge"])).exitCode).toBe(0);
    expect(readdirSync(prefix)).toEqual([]);
  });
});
