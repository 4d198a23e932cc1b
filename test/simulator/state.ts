import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SimAppSettings, SimStorageEntry } from "./settings-state.js";

/** What the simulated host holds. Kept as JSON in $DOKKU_SIM_DIR/state.json. */
export interface SimApp {
  createdAt: number;
  deployed: boolean;
  /** Whether the app's containers are up (only meaningful when deployed). */
  running: boolean;
  scale: Record<string, number>;
  config: Record<string, string>;
  domains: string[];
  /** Port mappings set with ports:add/set (`scheme:host:container`); missing in old state files. */
  ports?: string[];
  /** A deploy lock left behind (apps:report --app-locked). */
  locked?: boolean;
  /** checks:disable / checks:skip lists: `_all_` or comma-separated process types. */
  checksDisabled?: string;
  checksSkipped?: string;
  /** apps:report --app-deploy-source and its metadata (`git-push` and a sha, `git-sync` and the remote). */
  deploySource?: string;
  deploySourceMetadata?: string;
  /** git:set deploy-branch (git:report prints `master` when unset); builder:set selected / build-dir. */
  deployBranch?: string;
  builder?: string;
  buildDir?: string;
  /** The commit the app's deploy branch points at (what ps:rebuild builds); GIT_REV when unset. */
  ref?: string;
  /** The commits in the app's own repository (pushed or fetched into it); the deployed GIT_REV when unset. */
  shas?: string[];
  /** buildpacks:add/remove/clear, in order. */
  buildpacks?: string[];
  /**
   * The app's tls folder (certs:add, or Let's Encrypt's install): the certificate as given and the
   * sha256 of its key (the simulator keeps no key, only proof of which one it was given).
   */
  tls?: { crt: string; keySha256: string };
  /** Proxy, nginx, storage, resources, docker options, network (test/simulator/settings-state.ts). */
  settings?: SimAppSettings;
  /** The `cron` list of the deployed app.json, and the ids cron:suspend set maintenance for (test/simulator/commands/cron.ts). */
  cron?: SimCronTask[];
  cronSuspended?: string[];
}

/** One entry of app.json's `cron` (CronTask in plugins/app-json/appjson.go). */
export interface SimCronTask {
  command: string;
  schedule: string;
  concurrency_policy?: string;
}

export interface SimPlugin {
  version: string;
  enabled: boolean;
  description: string;
}

export interface SimService {
  password: string;
  links: string[];
  status: "running" | "exited" | "missing";
  version: string;
  /** The host ports it is exposed on (its PORT file), one per port of the plugin. */
  exposed?: string[];
  /** Backup settings (the plugin's backup/ and backup-encryption/ files): secrets kept by hash only. */
  backup?: SimBackup;
}

/** What `<p>:backup-auth`, `:backup-set-encryption` and `:backup-schedule` left on the simulated host. */
export interface SimBackup {
  /** sha256 of "KEY_ID:SECRET", when backup-auth set them (the backup/ folder exists). */
  authSha256?: string;
  /** The passphrase's sha256, when backup-set-encryption set one. */
  encryptionSha256?: string;
  /** The /etc/cron.d line backup-schedule wrote. */
  cron?: string;
}

export interface SimCert {
  /** Let's Encrypt is the active certificate for the app. */
  active: boolean;
  email?: string;
  /** letsencrypt:set APP dns-provider NAME: DNS-01 through that lego provider. */
  dnsProvider?: string;
  /** Unix seconds. */
  expiresAt?: number;
}

export interface SimState {
  apps: Record<string, SimApp>;
  globalDomains: string[];
  /** git:set --global deploy-branch (unset: Dokku uses master). */
  globalDeployBranch?: string;
  /** config:set --global (test/simulator/commands/host.ts). */
  globalConfig?: Record<string, string>;
  /** Installed plugins beyond the core ones (letsencrypt, postgres, …). Missing in old state files. */
  plugins?: Record<string, SimPlugin>;
  /** Datastore services per plugin name. */
  services?: Record<string, Record<string, SimService>>;
  /** Let's Encrypt state per app. */
  letsencrypt?: Record<string, SimCert>;
  /** network:create'd docker networks; named storage entries (storage:create). */
  networks?: string[];
  storageEntries?: Record<string, SimStorageEntry>;
  /** What the cron-entries trigger injects (`SCHEDULE;COMMAND[;LOGFILE]` lines): cron:list --global. */
  globalCron?: string[];
  /** registry:login per `APP SERVER` (or `--global SERVER`): the user and the password's sha256 only. */
  registryLogins?: Record<string, { username: string; passwordSha256: string }>;
  /** Docker's images on the host: each reference (`name:tag`, `:latest` when none) and its image id (commands/docker.ts). */
  images?: Record<string, string>;
}

/** Plugins a demo host has installed on top of Dokku's core plugins. */
export function seedPlugins(): Record<string, SimPlugin> {
  return {
    letsencrypt: { version: "0.20.4", enabled: true, description: "Automated installation of let's encrypt TLS certificates" },
    postgres: { version: "1.41.0", enabled: true, description: "dokku postgres service plugin" },
    redis: { version: "1.39.1", enabled: true, description: "dokku redis service plugin" },
  };
}

export function seedServices(): Record<string, Record<string, SimService>> {
  return {
    postgres: { "main-db": { password: "8d3f6c1e2b7a4f90", links: [], status: "running", version: "postgres:17.2" } },
    redis: { cache: { password: "5a1c9e7d3b2f4a68", links: [], status: "running", version: "redis:7.4.1" } },
  };
}

export interface Fault {
  /** Printed on stdout first, as is: what the tools under Dokku print (docker pull progress, colours). */
  stdout?: string;
  /**
   * Print this many bytes of build lines on stdout first, as a chatty build does (npm install,
   * docker layers): a 12 MiB rebuild is real. The command then runs (or fails) as it would.
   */
  printBytes?: number;
  /** Sleep before doing anything. */
  delayMs?: number;
  /** Wait until a file of this name exists in the state directory (a test opens the gate): a state to wait for, never a time. */
  gate?: string;
  /** Never finish (until killed). */
  hang?: boolean;
  /**
   * builds:cancel only: the build's own finalize (builds-record-finalize, reached by receive-app as
   * its killed children fail) marks it `failed` before CommandCancel reads it again, so the cancel
   * leaves it so: the race plugins/builds/subcommands.go has, lost.
   */
  finalizeFirst?: boolean;
  exitCode?: number;
  stderr?: string;
}

/** The state directory: `dir` when a test names it, else $DOKKU_SIM_DIR (the simulator's own process). */
export function stateDir(dir = process.env.DOKKU_SIM_DIR): string {
  if (!dir) {
    process.stderr.write(" !     DOKKU_SIM_DIR is not set: the simulator needs a state directory\n");
    process.exit(1);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function seed(now: number): SimState {
  const app = (deployed: boolean, running: boolean, scale: Record<string, number>, domains: string[]): SimApp => ({
    createdAt: Math.floor(now / 1000) - 86_400 * 30,
    deployed,
    running,
    scale,
    config: deployed ? { DOKKU_APP_TYPE: "herokuish", GIT_REV: "cd7b8afccb202f222e7dc7b427553e71ba5ddafd" } : {},
    domains,
    deployBranch: "main",
  });
  if (process.env.DOKKU_SIM_SEED === "empty") return { apps: {}, globalDomains: ["demo.dokku.me"], plugins: {}, services: {}, letsencrypt: {} };
  return {
    globalDomains: ["demo.dokku.me"],
    plugins: seedPlugins(),
    services: seedServices(),
    letsencrypt: { api: { active: true, email: "ops@example.com", expiresAt: Math.floor(now / 1000) + 86_400 * 60 } },
    // dokku-letsencrypt's cron-entries trigger once `letsencrypt:cron-job --add` ran
    globalCron: ["24 6 * * *;dokku letsencrypt:auto-renew;/var/log/dokku/letsencrypt.log"],
    apps: {
      api: {
        ...app(true, true, { web: 1, worker: 1 }, ["api.demo.dokku.me"]),
        cron: [
          { command: "python manage.py clearsessions", schedule: "@daily" },
          { command: "python manage.py send_digest --weekly", schedule: "5 4 * * sun", concurrency_policy: "forbid" },
        ],
      },
      "blog.v2": app(true, true, { web: 2 }, ["blog.demo.dokku.me", "www.example.com"]),
      // a deploy that failed and left its lock behind
      // robfig/cron's @every passes Dokku's schedule check, though no crontab reads it
      "queue-worker": { ...app(true, false, { worker: 1 }, []), locked: true, cron: [{ command: "bin/requeue-stale", schedule: "@every 15m" }] },
      staging: app(false, false, {}, ["staging.demo.dokku.me"]),
    },
  };
}

/** The Dokku version the simulator imitates (output formats differ between 0.30 and 0.38). */
export function simVersion(): string {
  return process.env.DOKKU_SIM_VERSION ?? "0.35.20";
}

export function versionAtLeast(min: string): boolean {
  const a = simVersion().split(".").map(Number);
  const b = min.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

export function readState(dir?: string): SimState {
  const file = join(stateDir(dir), "state.json");
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as SimState;
    // state files written before plugins were simulated: give them the demo plugins
    state.plugins ??= seedPlugins();
    state.services ??= seedServices();
    state.letsencrypt ??= {};
    return state;
  } catch {
    const fresh = seed(Date.now());
    writeState(fresh, dir);
    return fresh;
  }
}

function writeState(state: SimState, at?: string): void {
  const dir = stateDir(at);
  const tmp = join(dir, `state.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, join(dir, "state.json"));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Change the state under a lock (mkdir is atomic), so concurrent simulated commands do not lose writes. */
export function updateState<T>(change: (state: SimState) => T, dir?: string): T {
  const lock = join(stateDir(dir), "state.lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // lock vanished meanwhile
      }
      if (i > 2000) throw new Error("simulator state lock timed out");
      sleepSync(5);
    }
  }
  try {
    const state = readState(dir);
    const out = change(state);
    writeState(state, dir);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Faults a test injects per command: $DOKKU_SIM_DIR/faults.json, e.g. {"ps:restart": {"delayMs": 3000}}. */
export function faultFor(command: string): Fault | undefined {
  try {
    const faults = JSON.parse(readFileSync(join(stateDir(), "faults.json"), "utf8")) as Record<string, Fault>;
    return faults[command];
  } catch {
    return undefined;
  }
}
