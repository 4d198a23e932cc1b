import { join } from "node:path";
import { PROTOCOL_VERSION } from "../../protocol/frames.js";
import { RELAY_VERSION } from "./artifact.js";
import { loadCheckedConfig, type RelayConfig } from "./config.js";
import { openDb } from "../history/db/open.js";
import type { Dispatcher, DispatchDeps } from "../ops/dispatch.js";
import { HealthMonitor, SIM_DISKS_FILE } from "./health.js";
import { History } from "../history/store.js";
import { JobRegistry } from "../ops/jobs.js";
import { ByteLinks } from "../ops/byte-links.js";
import { MAX_DOKKU_PROCESSES, ProcessLimiter, READ_SLOTS } from "../ops/limiter.js";
import { stopOrphans } from "../process/orphans.js";
import { UndeliveredResults } from "../link/undelivered.js";
import { Link } from "../link/socket.js";
import { log } from "./log.js";
import { run } from "../process/run.js";
import { writeStatus, type RelayStatus } from "./status.js";
import { OpVerifier } from "../link/verify.js";
import { parseDokkuVersion } from "../dokku/detect-version.js";

/** EX_CONFIG (sysexits.h): a problem restarting cannot fix; the systemd unit has RestartPreventExitStatus=78. */
const EX_CONFIG = 78;

/**
 * Another relay for this host said a valid hello and the edge replaced this one: it ran the
 * changes it had started to their end, then exited with this status. Not EX_CONFIG: the settings
 * are fine, someone else holds the link. The systemd unit does not restart on it
 * (RestartPreventExitStatus), else two relays would take the host from each other in turn.
 */
export const EX_REPLACED = 79;

/** Log why the relay cannot run, and exit 78 so systemd does not restart it in a loop. */
function giveUp(reason: string): never {
  log.fatal(reason);
  process.exit(EX_CONFIG);
}

/**
 * The relay proper: check the settings, open the history, dial the edge and serve signed ops until
 * stopped (exit 0), refused (exit 78) or replaced (exit EX_REPLACED, once its running changes ended).
 */
export async function serve(argv: string[]): Promise<void> {
  let config: RelayConfig;
  try {
    config = await loadCheckedConfig(argv);
  } catch (e) {
    giveUp((e as Error).message);
  }
  if ("error" in config.dokku) giveUp(config.dokku.error);
  const { bin: dokkuBin, simulated } = config.dokku;

  let statusWarned = false;
  const setState = (state: RelayStatus["state"], message?: string) => {
    if (!config.statusFile) return;
    try {
      writeStatus(config.statusFile, {
        state,
        pid: process.pid,
        version: RELAY_VERSION,
        protocolVersion: PROTOCOL_VERSION,
        host: config.host,
        since: Date.now(),
        message,
      });
    } catch (e) {
      if (!statusWarned)
        log.warn(
          { file: config.statusFile, err: (e as Error).message },
          "cannot write the status file; doctor and the installer will not see this relay's state",
        );
      statusWarned = true;
    }
  };
  const db = openDb(config.db);
  setState("starting");
  // Which ops are changes is their declarations' to say; those load with the op path (below), and only an op asks history for changes.
  let changeOps: readonly string[] | undefined;
  const history = new History(db, { maxRows: config.historyMaxRows, maxAgeDays: config.historyMaxDays }, () => {
    if (!changeOps) throw new Error("history was asked for changes before the op path loaded");
    return changeOps;
  });
  history.prune();
  // Commands a dead relay left running die with it (relay/process/orphans.ts); history says when.
  const stoppedOps = stopOrphans();
  const interrupted = history.markInterrupted(
    Date.now(),
    stoppedOps.length > 0 ? "\n[the relay stopped while this ran; the restarted relay stopped what was left of it]" : "\n[the relay stopped while this ran]",
  );
  if (interrupted > 0 || stoppedOps.length > 0)
    log.warn({ interrupted, stoppedOps }, "commands were still running when the relay last stopped; marked interrupted");
  const pruneTimer = setInterval(() => history.prune(), 3_600_000);
  pruneTimer.unref();

  const version = await run(dokkuBin, ["version"], { timeoutMs: 15_000 });
  const dokkuVersion = version.exitCode === 0 ? parseDokkuVersion(version.stdout) : null;
  log.info(
    {
      version: RELAY_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      host: config.host,
      dokku: dokkuBin,
      dokkuVersion,
      simulated,
      readOnly: config.readOnly,
      deny: config.deny,
    },
    `docklight-relay ${RELAY_VERSION} starting${simulated ? " with the Dokku simulator" : ""}`,
  );

  // The simulator's host has its own disks (test/simulator/host-controls.ts), which a demo or a test may fill.
  const simDir = simulated ? process.env.DOKKU_SIM_DIR : undefined;
  const health = new HealthMonitor(simDir ? { simulatedDisks: join(simDir, SIM_DISKS_FILE) } : {});
  health.start();

  const verifier = new OpVerifier(config.opPublicKey, config.host, db);
  let link: Link;
  const jobs = new JobRegistry();
  // Results of changes that ended while the link was down go out when it is back.
  const undelivered = new UndeliveredResults();
  const startedChanges = new Set<string>();
  // A dump's bytes to and from the edge, under the edge's credit (protocol/byte-frames.ts).
  const bytes = new ByteLinks((frame) => link.send(frame));
  /**
   * The op path (dispatch, the catalog, every op's declaration and schema) loads when the first
   * frame that needs it arrives, not at start: a relay that waits for work carries none of it
   * (bench:relay-idle). Those frames keep their order: each waits on this one promise.
   */
  let opPath: Promise<Dispatcher> | undefined;
  const dispatcher = (): Promise<Dispatcher> =>
    (opPath ??= Promise.all([import("../ops/dispatch.js"), import("../../protocol/ops.js")]).then(([{ Dispatcher }, { changeOpNames }]) => {
      changeOps = changeOpNames;
      return new Dispatcher(deps);
    }));
  const deps: DispatchDeps = {
    bytes,
    jobs,
    limiter: new ProcessLimiter(MAX_DOKKU_PROCESSES, READ_SLOTS),
    onStarted: (id, job) => {
      startedChanges.add(id);
      link.send({ type: "started", id, job });
    },
    verifier,
    history,
    policy: { readOnly: config.readOnly, deny: config.deny },
    host: config.host,
    dokkuBin,
    dockerBin: config.docker,
    keptImages: config.keptImages,
    dokkuVersion,
    allowIsolationBreaking: config.allowIsolationBreaking,
    health,
    log,
    sendChunk: (id, stream, data, seq, tag, skipped) =>
      void link.send({ type: "chunk", id, stream, data, ...(seq !== undefined ? { seq } : {}), ...(tag ? { tag } : {}), ...(skipped ? { skipped } : {}) }),
    linkBacklog: () => link.backlog,
  };

  link = new Link({
    url: config.edgeUrl,
    token: config.token,
    log,
    heartbeatMs: config.heartbeatMs,
    hello: () => ({
      type: "hello",
      host: config.host,
      relayVersion: RELAY_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      dokkuVersion,
      simulated,
      policy: { readOnly: config.readOnly, deny: config.deny },
      changes: [...jobs.list().map((j) => j.opId), ...undelivered.ids()],
    }),
    onFrame: (frame) => {
      if (frame.type === "cancel") return void dispatcher().then((d) => d.cancel(frame.id));
      if (frame.type === "attach") return void dispatcher().then((d) => d.attach(frame.id, frame.tag).forEach((f) => link.send(f)));
      if (frame.type === "detach") return void dispatcher().then((d) => d.detach(frame.id));
      if (frame.type === "credit") return bytes.credit(frame);
      if (frame.type === "bytes") return bytes.bytes(frame);
      if (frame.type === "key") {
        return void verifier
          .rotate(frame.jws)
          .then((v) =>
            v.ok
              ? log.warn({ publicKey: v.x }, "the edge rotated its op-signing key; pinned the new key")
              : log.error({ reason: v.reason }, "refused a new op-signing key"),
          );
      }
      if (frame.type !== "op") return;
      void dispatcher()
        .then((d) => d.handle(frame.id, frame.jws))
        .then((result) => {
          const wasChange = startedChanges.delete(frame.id);
          if (link.send(result)) return;
          if (!wasChange) return log.warn({ opId: frame.id }, "link down: the result of this read could not be delivered");
          undelivered.keep(result);
          log.warn({ opId: frame.id }, "link down: the result of this change is kept until the link is back");
        });
    },
    onConnect: () => {
      setState("connected");
      undelivered.drain((r) => link.send(r));
    },
    onDisconnect: () => {
      jobs.detachAll();
      setState("reconnecting", "the link to the edge dropped");
    },
    onReplaced: (reason) => {
      log.error({ reason, running: jobs.list().length }, "another relay took over this host id; stopping once the running changes end");
      setState("stopped", `replaced: ${reason}`);
      afterRunningChanges(EX_REPLACED);
    },
    onRefused: (reason) => {
      log.fatal({ running: jobs.list().length }, reason);
      setState("refused", reason);
      afterRunningChanges(EX_CONFIG);
    },
  });

  /**
   * The link stopped for good (replaced, revoked, refused): no op comes any more, but a change that
   * started runs to its end (history records it) — neither a takeover nor a rotated token stops
   * one — and then the relay exits with `code`. A signal meanwhile stops it at once, as always.
   */
  function afterRunningChanges(code: number) {
    health.stop();
    const poll = setInterval(() => {
      if (jobs.list().length > 0) return;
      clearInterval(poll);
      shutdown(code);
    }, 250);
  }

  function shutdown(code: number) {
    process.exitCode = code; // also when the loop empties before the timer below fires
    link.stop();
    health.stop();
    void opPath?.then((d) => d.cancelAll());
    setTimeout(() => {
      db.$client.close();
      process.exit(code);
    }, 200).unref();
  }
  const stop = () => {
    setState("stopped", "stopped by a signal");
    shutdown(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  link.start();
}
