import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { PROTOCOL_VERSION } from "../../protocol/frames.js";
import { edgeHealth } from "../../protocol/health.js";
import { RELAY_VERSION } from "./artifact.js";
import { loadCheckedConfig, type RelayConfig } from "./config.js";
import { run } from "../process/run.js";
import { processAlive, readStatus } from "./status.js";
import { CLOCK_TOLERANCE_SECONDS } from "../link/verify.js";
import { parseDokkuVersion } from "../dokku/detect-version.js";

/** One line of doctor's report. `skip` is a check that could not run because an earlier one failed. */
export interface Check {
  name: string;
  verdict: "ok" | "warn" | "FAIL" | "skip";
  detail: string;
}

const PROBE_TIMEOUT_MS = 10_000;

async function checkDokku(config: RelayConfig): Promise<Check> {
  if ("error" in config.dokku) return { name: "dokku", verdict: "FAIL", detail: config.dokku.error };
  const res = await run(config.dokku.bin, ["version"], { timeoutMs: 15_000 });
  const version = res.exitCode === 0 ? parseDokkuVersion(res.stdout) : null;
  if (!version)
    return {
      name: "dokku",
      verdict: "FAIL",
      detail: `\`${config.dokku.bin} version\` failed (exit ${res.exitCode}): ${(res.stderr || res.stdout).trim().slice(0, 300)}`,
    };
  return { name: "dokku", verdict: "ok", detail: `${version} at ${config.dokku.bin}${config.dokku.simulated ? " (the simulator)" : ""}` };
}

/** Whether the native better-sqlite3 loads with this Node.js (it must match Node's ABI: after a Node upgrade, re-run the installer). */
export function checkSqlite(): Check {
  try {
    const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");
    const db = new Database(":memory:");
    const version = (db.prepare("select sqlite_version() as v").get() as { v: string }).v;
    db.close();
    return { name: "sqlite", verdict: "ok", detail: `better-sqlite3 loads (SQLite ${version}, Node.js ${process.versions.node})` };
  } catch (e) {
    return {
      name: "sqlite",
      verdict: "FAIL",
      detail: `better-sqlite3 does not load with Node.js ${process.versions.node}: ${(e as Error).message.split("\n")[0]} — re-run the installer`,
    };
  }
}

/** Whether the history database can be written, without opening it (an open as root would leave root-owned -wal/-shm files). */
export function checkHistory(path: string): Check {
  if (path === ":memory:") return { name: "history", verdict: "warn", detail: "kept in memory: lost at every restart" };
  const file = resolve(path);
  if (!existsSync(file)) {
    let dir = dirname(file);
    while (!existsSync(dir)) dir = dirname(dir);
    try {
      accessSync(dir, constants.W_OK);
      return { name: "history", verdict: "ok", detail: `${file} does not exist yet; the relay creates it at start` };
    } catch {
      return { name: "history", verdict: "FAIL", detail: `${file} does not exist and ${dir} is not writable` };
    }
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    accessSync(dirname(file), constants.W_OK); // SQLite's -wal and -shm files go beside it
  } catch (e) {
    return { name: "history", verdict: "FAIL", detail: `${file} or its folder is not writable: ${(e as NodeJS.ErrnoException).code}` };
  }
  const header = Buffer.alloc(16);
  const fd = openSync(file, "r");
  const n = readSync(fd, header, 0, 16, 0);
  closeSync(fd);
  if (n > 0 && header.toString("latin1") !== "SQLite format 3\0") return { name: "history", verdict: "FAIL", detail: `${file} is not an SQLite database` };
  const st = statSync(file);
  return { name: "history", verdict: "ok", detail: `${file} is writable (${Math.round(st.size / 1024)} KiB, owner uid ${st.uid})` };
}

/**
 * The edge's /api/health — a Docklight edge's answer, not just any answer — and how far this
 * host's clock is from the edge's (its reply's Date header).
 */
async function checkEdge(config: RelayConfig): Promise<{ edge: Check; clock: Check }> {
  const started = Date.now();
  let res: Response;
  try {
    res = await fetch(`${config.baseUrl}/api/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: "manual" });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    return {
      edge: { name: "edge", verdict: "FAIL", detail: `cannot reach ${config.baseUrl}: ${why}` },
      clock: { name: "clock", verdict: "skip", detail: "not checked: the edge is unreachable" },
    };
  }
  const ended = Date.now();
  // Only a Docklight edge says so; anything else there is a stranger whose clock and token answers mean nothing.
  const text = await res.text().catch(() => "");
  let body: unknown = null;
  try {
    body = JSON.parse(text.slice(0, 4096));
  } catch {
    /* not JSON: not an edge */
  }
  if (!res.ok || !edgeHealth.safeParse(body).success) {
    const what = `${res.status}${res.headers.get("content-type") ? `, ${res.headers.get("content-type")!.split(";")[0]}` : ""}`;
    return {
      edge: {
        name: "edge",
        verdict: "FAIL",
        detail: `${config.baseUrl} answers (GET /api/health: HTTP ${what}) but is not a Docklight edge: check DOCKLIGHT_URL`,
      },
      clock: { name: "clock", verdict: "skip", detail: "not checked: not a Docklight edge" },
    };
  }
  return {
    edge: { name: "edge", verdict: "ok", detail: `${config.baseUrl} answered in ${ended - started} ms` },
    clock: clockCheck(res.headers.get("date"), (started + ended) / 2),
  };
}

/**
 * Compare the edge's `Date` (whole seconds, so its middle is taken) with this host's clock at the
 * middle of the request. Ops live 60 s and the relay allows their timestamps 5 s of difference: a
 * clock further off than that makes signed ops look expired or issued in the future.
 */
export function clockCheck(dateHeader: string | null, localMs: number): Check {
  const edgeMs = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isNaN(edgeMs)) return { name: "clock", verdict: "warn", detail: "not checked: the edge's reply carried no Date header" };
  const skew = Math.round((localMs - (edgeMs + 500)) / 1000);
  const where = skew === 0 ? "in step with" : `${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"}`;
  if (Math.abs(skew) <= CLOCK_TOLERANCE_SECONDS) return { name: "clock", verdict: "ok", detail: `this host's clock is ${where} the edge's` };
  return {
    name: "clock",
    verdict: "FAIL",
    detail:
      `this host's clock is ${where} the edge's. Signed ops live 60 s and the relay allows ${CLOCK_TOLERANCE_SECONDS} s of difference, ` +
      `so every op will be refused as expired or not yet valid. Set the clock right (e.g. timedatectl set-ntp true).`,
  };
}

/**
 * Is this host's token accepted? Asks the edge's `GET /relay/check` with it (204 yes, 401 no),
 * which never touches the relay socket, so a running relay is not displaced.
 */
async function checkToken(config: RelayConfig): Promise<Check> {
  const url = `${config.baseUrl}/relay/check?host=${encodeURIComponent(config.host)}`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${config.token}` }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: "manual" });
  } catch (e) {
    return { name: "token", verdict: "FAIL", detail: `could not ask the edge: ${(e as Error).message}` };
  }
  await res.body?.cancel();
  if (res.status === 204) return { name: "token", verdict: "ok", detail: `accepted for host ${config.host}` };
  if (res.status === 401) {
    return {
      name: "token",
      verdict: "FAIL",
      detail: `refused (HTTP 401) for host ${config.host}: the token is wrong or was replaced, or the host was removed; make a new install command on the edge's Hosts page and run it here`,
    };
  }
  if (res.status === 429)
    return {
      name: "token",
      verdict: "warn",
      detail: `not checked: the edge limits token checks; try again in ${res.headers.get("retry-after") ?? "a few minutes"} s`,
    };
  return { name: "token", verdict: "FAIL", detail: `${config.baseUrl}/relay/check answered HTTP ${res.status} (an edge older than this relay?)` };
}

function relayState(config: RelayConfig): Check {
  const status = config.statusFile ? readStatus(config.statusFile) : null;
  if (!status) return { name: "relay", verdict: "warn", detail: "no status file: the relay has not run with this database" };
  const alive = status.state !== "stopped" && processAlive(status.pid);
  const since = new Date(status.since).toISOString();
  const what = alive ? `${status.state} since ${since} (pid ${status.pid}, version ${status.version})` : `not running (last: ${status.state} at ${since})`;
  const verdict = alive && status.state === "connected" ? "ok" : "warn";
  return { name: "relay", verdict, detail: status.message ? `${what}: ${status.message}` : what };
}

/** Run every check, print one line each, and return the exit status: 0 when nothing failed, 1 otherwise. */
export async function doctor(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  out(`docklight-relay ${RELAY_VERSION} (protocol ${PROTOCOL_VERSION}) doctor`);
  const print = (c: Check) => out(`  ${c.verdict.padEnd(5)} ${c.name.padEnd(8)} ${c.detail}`);
  let config: RelayConfig;
  try {
    config = await loadCheckedConfig(argv);
  } catch (e) {
    print({ name: "settings", verdict: "FAIL", detail: (e as Error).message.replace(/\n/g, "\n                 ") });
    return 1;
  }
  const checks: Check[] = [{ name: "settings", verdict: "ok", detail: `host ${config.host}, edge ${config.baseUrl}` }];
  print(checks[0]!);
  const show = (c: Check) => (checks.push(c), print(c));
  show(await checkDokku(config));
  show(checkSqlite());
  show(checkHistory(config.db));
  const { edge, clock } = await checkEdge(config);
  show(edge);
  show(clock);
  show(
    edge.verdict === "ok" ? await checkToken(config) : { name: "token", verdict: "skip", detail: `not checked: ${clock.detail.replace(/^not checked: /, "")}` },
  );
  show(relayState(config));
  return checks.some((c) => c.verdict === "FAIL") ? 1 : 0;
}
