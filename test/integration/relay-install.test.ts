import { once } from "node:events";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../relay/process/run.js";
import { buildRelay } from "../../scripts/build-relay.js";
import { readRootManifest } from "../../scripts/relay-manifest.js";
import { ROOT, unitNodeFlags } from "../../scripts/stack.js";
import { newInstallCommand, tokenAccepted, type HostEnrollment } from "../../scripts/host.js";
import { refusalMessage } from "../../worker/registry/codes.js";
import { historyOf, until } from "../support/history.js";
import { commandLinesDuring, filesUnder, installScript, layout, modeOf, NODE_MODULES, runInstallCommand, simulatorSettings } from "../support/installer.js";
import { makeSim, type Sim } from "../support/sim.js";
import { startStack, type TestStack } from "../support/stack.js";

/**
 * The relay as users get it: `npm run build:relay` makes the artifact, the local edge (wrangler
 * dev) serves it with install.sh, and the one command installs it under a temp prefix, where it
 * must start and connect with nothing from this checkout. Then re-running upgrades in place
 * keeping history, and --uninstall removes everything.
 */
const HOST = "box";
/** A second host, installed from a build of better-sqlite3 (a stand-in npm) to see what is kept. */
const BUILT = "built";
const VERSION = readRootManifest(ROOT).version;
const UPGRADE = `${VERSION}-test.2`;
let stack: TestStack;
let sim: Sim;
let prefix: string;
let upgradeDir: string;
let cookie: string;
let p: ReturnType<typeof layout>;
let enrollment: HostEnrollment;
/** The token the first install traded its code for (read from relay.env). */
let token: string;
const tokenIn = (envFile: string) => /^DOCKLIGHT_RELAY_TOKEN=(.*)$/m.exec(readFileSync(envFile, "utf8"))?.[1] ?? "";

const status = async () =>
  (await (await fetch(`${stack.url}/hosts/${HOST}/status.json`, { headers: { cookie } })).json()) as {
    connected: boolean;
    relayVersion: string | null;
    simulated: boolean;
  };
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
  stack = await startStack({ hosts: ["demo", HOST, BUILT], noRelay: [HOST, BUILT] });
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
  it("installs from the edge with the page's command, and the artifact connects from a folder holding only what the installer put there", async () => {
    enrollment = await newInstallCommand(stack.url, cookie, HOST);
    const latest = JSON.parse(readFileSync(join(ROOT, "public/relay/latest.json"), "utf8")) as { sha256: string };
    expect(enrollment.command).toBe(
      `curl -fsSL ${stack.url}/install.sh | sh -s -- --url ${stack.url} --host ${HOST} --code ${enrollment.code} --key ${enrollment.publicKey} --sha256 ${latest.sha256}`,
    );
    const { result: res, seen } = await commandLinesDuring(
      runInstallCommand(enrollment.command, ["--prefix", prefix, "--modules-from", NODE_MODULES, ...simulatorSettings(sim)]),
    );
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("trading the one-time enrollment code for this host's relay token");
    expect(res.stdout).toContain(`docklight-relay ${VERSION} is connected to ${stack.url} as host ${HOST}`);
    // The code bought the token, which only relay.env holds: not the command, not a process's argv, not the output.
    token = tokenIn(p.envFile);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(enrollment.code);
    expect(await tokenAccepted(stack.url, HOST, token)).toBe(true);
    expect(enrollment.command).not.toContain(token);
    expect(seen.size).toBeGreaterThan(0);
    for (const line of seen) expect(line).not.toContain(token);
    expect(res.stdout + res.stderr + readFileSync(p.log, "utf8")).not.toContain(token);

    await stack.waitConnected(HOST);
    expect(await status()).toMatchObject({ connected: true, relayVersion: VERSION, simulated: true });

    // The running process is the artifact under the prefix, and loads nothing from this checkout.
    const pid = relayPid();
    // node [flags…] relay.mjs run: the flags the unit gives node too (deploy/install.sh)
    const argv = argvOf(pid)!;
    expect(argv.slice(-2)).toEqual([p.relay, "run"]);
    expect(argv.slice(1, -2)).toEqual(unitNodeFlags());
    expect(argv).toContain("--lite-mode");
    const mapped = readFileSync(`/proc/${pid}/maps`, "utf8");
    expect(mapped).toContain(join(prefix, "opt/docklight-relay/releases", VERSION, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"));
    for (const checkout of [ROOT, realpathSync(NODE_MODULES)]) expect(mapped).not.toContain(checkout);

    const release = join(p.home, "current");
    // relay.mjs and the chunks it imports when first needed (scripts/build-relay.ts): the relay proper, the op path, the op declarations.
    const files = readdirSync(release).sort();
    expect(files.filter((f) => !/^relay-[a-z]+-[A-Z0-9]+\.mjs$/.test(f))).toEqual([
      ".node-version",
      "THIRD_PARTY_LICENSES.txt",
      "docklight-relay.service",
      "migrations",
      "node_modules",
      "package-lock.json",
      "package.json",
      "relay.mjs",
    ]);
    expect(
      files
        .filter((f) => /^relay-(serve|dispatch|ops)-/.test(f))
        .map((f) => f.split("-")[1])
        .sort(),
    ).toEqual(["dispatch", "ops", "serve"]);
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

  it("the same command again: its used code is refused, saying to make a new one on the Hosts page, and nothing changes", async () => {
    const res = await runInstallCommand(enrollment.command, ["--prefix", prefix, "--modules-from", NODE_MODULES, ...simulatorSettings(sim)]);
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toMatch(
      /the edge refused the enrollment code: this enrollment code was already used at \S+ \(a code works once\): make a new install command on the edge's Hosts page/,
    );
    expect(res.stdout).not.toContain("downloading better-sqlite3");
    expect(tokenIn(p.envFile)).toBe(token);
    expect(readdirSync(join(p.home, "releases"))).toEqual([VERSION]);
    expect((await status()).connected).toBe(true);
  });

  it("an expired code: the installer prints the edge's words and writes nothing", async () => {
    // A stand-in edge answering /relay/enroll as the registry does for a code past its hour.
    const expired = refusalMessage({ reason: "expired", at: Date.now() - 60_000 }, HOST);
    const edge = createServer((_req, res) => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ error: expired }, null, 1)}\n`);
    });
    edge.listen(0, "127.0.0.1");
    await once(edge, "listening");
    const other = mkdtempSync(join(tmpdir(), "docklight-expired-"));
    try {
      const url = `http://127.0.0.1:${(edge.address() as { port: number }).port}`;
      const args = [
        "--url",
        url,
        "--host",
        HOST,
        "--code",
        "c".repeat(24),
        "--key",
        enrollment.publicKey,
        "--prefix",
        other,
        "--artifact-base",
        `file://${upgradeDir}`,
      ];
      const res = await installScript([...args, ...simulatorSettings(sim)]);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toContain(`install.sh: the edge refused the enrollment code: ${expired}`);
      expect(res.stderr).toContain("(a code lasts 1 hour): make a new install command on the edge's Hosts page");
      expect(filesUnder(other)).toEqual([]);
    } finally {
      edge.close();
      rmSync(other, { recursive: true, force: true });
    }
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
    expect(settings).toContain(`DOCKLIGHT_RELAY_TOKEN=${token}`);
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
    expect(
      flags.every((f) => f.startsWith("--")),
      service.ExecStart,
    ).toBe(true);
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

describe("the installer on a host", () => {
  it("checks for dokku before it downloads or builds anything; a build from source keeps only what runs", async () => {
    const other = mkdtempSync(join(tmpdir(), "docklight-built-"));
    const fakeBin = mkdtempSync(join(tmpdir(), "docklight-npm-"));
    const builtSim = makeSim();
    const q = layout(other);
    try {
      // A stand-in `npm ci` that leaves node_modules as a build from source does: sources, objects, build tools.
      writeFileSync(
        join(fakeBin, "npm"),
        `#!/bin/sh\necho "$PWD" >"${fakeBin}/ran"\nmkdir -p node_modules\nfor m in better-sqlite3 bindings file-uri-to-path prebuild-install; do cp -R "${NODE_MODULES}/$m" node_modules/; done\n`,
      );
      chmodSync(join(fakeBin, "npm"), 0o755);
      const path = `${fakeBin}:/usr/local/bin:/usr/bin:/bin`;
      const cmd = await newInstallCommand(stack.url, cookie, BUILT);
      const args = ["--url", stack.url, "--host", BUILT, "--code", cmd.code, "--key", cmd.publicKey, "--prefix", other];

      // No dokku on the PATH and no DOKKU_BIN: refused first, the code not spent, nothing fetched.
      const refused = await installScript(args, { PATH: path });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain("dokku is not installed on this host (no dokku on the PATH)");
      expect(refused.stderr).toContain("--set DOKKU_BIN=/path/to/dokku");
      expect(refused.stdout).not.toContain("downloading");
      expect(existsSync(join(fakeBin, "ran"))).toBe(false);
      expect(filesUnder(other)).toEqual([]);

      const res = await installScript([...args, ...simulatorSettings(builtSim)], { PATH: path });
      expect(res.exitCode, res.stdout + res.stderr).toBe(0);
      expect(res.stdout).toContain("installing better-sqlite3");
      expect(existsSync(join(fakeBin, "ran"))).toBe(true);
      const modules = join(q.home, "current/node_modules");
      const kept = filesUnder(modules);
      expect(
        kept
          .filter((f) => f.startsWith("better-sqlite3/"))
          .every((f) => /^better-sqlite3\/(package\.json|lib\/.*|build\/Release\/better_sqlite3\.node)$/.test(f)),
        kept.join("\n"),
      ).toBe(true);
      expect(kept).toContain("better-sqlite3/build/Release/better_sqlite3.node");
      expect(readdirSync(modules).sort()).toEqual(["better-sqlite3", "bindings", "file-uri-to-path"]);
      const du = await run("du", ["-sk", modules], { timeoutMs: 10_000 });
      expect(Number(du.stdout.split("\t")[0])).toBeLessThan(3 * 1024);
      expect(await tokenAccepted(stack.url, BUILT, tokenIn(q.envFile))).toBe(true);
    } finally {
      await installScript(["--prefix", other, "--uninstall", "--purge"]);
      builtSim.cleanup();
      for (const dir of [other, fakeBin]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the relay as the same user with systemd or without: dokku, else docklight; under --prefix, the user running it", async () => {
    const script = join(ROOT, "deploy/install.sh");
    const choose = (setup: string) =>
      run("sh", ["-c", `DOCKLIGHT_INSTALL_SOURCED=1 . '${script}'; ${setup}; SERVICE_USER=; choose_user; echo "user=$SERVICE_USER"`], {
        timeoutMs: 10_000,
      }).then((r) => /^user=(.*)$/m.exec(r.stdout)?.[1] ?? r.stdout + r.stderr);
    // id(1) stubbed: root, on a host with (or without) a dokku user; useradd stubbed.
    const host = (dokku: boolean) =>
      `id() { case "$1" in -u) echo 0 ;; -un) echo root ;; -gn) echo "$2" ;; root) return 0 ;; dokku) ${dokku ? "return 0" : "return 1"} ;; docklight) [ -f "$TMPDIR_U/made" ] ;; *) return 1 ;; esac; }; useradd() { : >"$TMPDIR_U/made"; }; TMPDIR_U=$(mktemp -d) STATE_DIR=/var/lib/docklight`;
    for (const systemd of ["yes", "no"]) {
      expect(await choose(`${host(true)}; ROOT=; SYSTEMD=${systemd}`)).toBe("dokku");
      expect(await choose(`${host(false)}; ROOT=; SYSTEMD=${systemd}`)).toBe("docklight");
    }
    expect(await choose(`${host(true)}; ROOT=/tmp/somewhere; SYSTEMD=no`)).toBe("root");
  });
});
