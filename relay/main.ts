import { loadConfig } from "./config.js";
import { openDb } from "./db/open.js";
import { Dispatcher } from "./dispatch.js";
import { HealthMonitor } from "./health.js";
import { History } from "./history.js";
import { JobRegistry } from "./jobs.js";
import { ProcessLimiter, MAX_DOKKU_PROCESSES, READ_SLOTS } from "./limiter.js";
import { stopOrphans } from "./orphans.js";
import { UndeliveredResults } from "./undelivered.js";
import { Link } from "./link.js";
import { log } from "./log.js";
import { run } from "./run.js";
import { importOpPublicKey, OpVerifier } from "./verify.js";
import { parseDokkuVersion, RELAY_VERSION } from "./version.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    log.fatal((e as Error).message);
    process.exit(78); // EX_CONFIG: systemd should not restart a misconfigured relay in a loop
  }
  const db = openDb(config.db);
  const history = new History(db, { maxRows: config.historyMaxRows, maxAgeDays: config.historyMaxDays });
  history.prune();
  // Commands a dead relay left running die with it (relay/orphans.ts); history says when.
  const stoppedOps = stopOrphans();
  const interrupted = history.markInterrupted(Date.now(), stoppedOps.length > 0 ? "\n[the relay stopped while this ran; the restarted relay stopped what was left of it]" : "\n[the relay stopped while this ran]");
  if (interrupted > 0 || stoppedOps.length > 0) log.warn({ interrupted, stoppedOps }, "commands were still running when the relay last stopped; marked interrupted");
  const pruneTimer = setInterval(() => history.prune(), 3_600_000);
  pruneTimer.unref();

  const version = await run(config.dokku, ["version"], { timeoutMs: 15_000 });
  const dokkuVersion = version.exitCode === 0 ? parseDokkuVersion(version.stdout) : null;
  log.info(
    { host: config.host, dokku: config.dokku, dokkuVersion, simulated: config.simulated, readOnly: config.readOnly, deny: config.deny },
    config.simulated ? "starting with the Dokku simulator (no dokku found)" : "starting",
  );

  const health = new HealthMonitor();
  health.start();

  const verifier = new OpVerifier(await importOpPublicKey(config.opPublicKey), config.host, db);
  let link: Link;
  const jobs = new JobRegistry();
  // Results of changes that ended while the link was down go out when it is back.
  const undelivered = new UndeliveredResults();
  const startedChanges = new Set<string>();
  const dispatcher = new Dispatcher({
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
    dokkuBin: config.dokku,
    dokkuVersion,
    health,
    log,
    sendChunk: (id, stream, data, seq, tag) => void link.send({ type: "chunk", id, stream, data, ...(seq !== undefined ? { seq } : {}), ...(tag ? { tag } : {}) }),
  });

  link = new Link({
    url: config.edgeUrl,
    token: config.token,
    log,
    heartbeatMs: config.heartbeatMs,
    hello: () => ({
      type: "hello",
      host: config.host,
      relayVersion: RELAY_VERSION,
      dokkuVersion,
      simulated: config.simulated,
      policy: { readOnly: config.readOnly, deny: config.deny },
    }),
    onFrame: (frame) => {
      if (frame.type === "cancel") return dispatcher.cancel(frame.id);
      if (frame.type === "attach") return void dispatcher.attach(frame.id, frame.tag).forEach((f) => link.send(f));
      if (frame.type === "detach") return dispatcher.detach(frame.id);
      if (frame.type !== "op") return;
      void dispatcher.handle(frame.id, frame.jws).then((result) => {
        const wasChange = startedChanges.delete(frame.id);
        if (link.send(result)) return;
        if (!wasChange) return log.warn({ opId: frame.id }, "link down: the result of this read could not be delivered");
        undelivered.keep(result);
        log.warn({ opId: frame.id }, "link down: the result of this change is kept until the link is back");
      });
    },
    onConnected: () => undelivered.drain((r) => link.send(r)),
    onDisconnect: () => jobs.detachAll(),
    onReplaced: (reason) => {
      log.error({ reason }, "another relay took over this host id; stopping");
      shutdown(0);
    },
  });

  function shutdown(code: number) {
    link.stop();
    health.stop();
    dispatcher.cancelAll();
    setTimeout(() => {
      db.$client.close();
      process.exit(code);
    }, 200).unref();
  }
  process.on("SIGTERM", () => shutdown(0));
  process.on("SIGINT", () => shutdown(0));
  link.start();
}

void main();
