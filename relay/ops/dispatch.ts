import { decide } from "../../protocol/policy.js";
import { MAX_FRAME_BYTES, type JobInfo, type OpError, type RelayFrame, type ResultFrame } from "../../protocol/frames.js";
import { appOf, changeTitle, ops, type OpName, type OpParsedArgs } from "../../protocol/ops.js";
import { OpFailure } from "../dokku/failure.js";
import type { Log } from "../cli/log.js";
import { catalog } from "../catalog/index.js";
import type { CatalogEntry } from "../catalog/types.js";
import { opContext, parseOpArgs, runParsed, type RelayRuntime } from "./op-context.js";
import type { OpVerifier } from "../link/verify.js";

export interface Policy {
  readOnly: boolean;
  deny: string[];
}

export interface DispatchDeps extends RelayRuntime {
  verifier: OpVerifier;
  policy: Policy;
  log: Log;
  /** Tell the edge a change passed every check and runs now (its result follows when it ends). */
  onStarted: (id: string, job: JobInfo) => void;
}

/** Most characters of an error's message a result carries (opError allows 8192). */
const MESSAGE_CHARS = 8000;

/**
 * A result frame as it may travel: itself when its JSON fits MAX_FRAME_BYTES (a change's always
 * does: its output is bounded, relay/ops/op-context.ts), else a "too_large" error saying how large
 * the answer was. Sent whole, the edge would refuse it and the op would end only by its timeout.
 */
export function fitFrame(frame: ResultFrame): ResultFrame {
  if (!frame.ok) return frame;
  const bytes = Buffer.byteLength(JSON.stringify(frame));
  if (bytes <= MAX_FRAME_BYTES) return frame;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return {
    type: "result",
    id: frame.id,
    ok: false,
    error: { code: "too_large", message: `the answer is ${mib(bytes)}, more than the ${mib(MAX_FRAME_BYTES)} the link carries` },
    ...(frame.job ? { job: frame.job } : {}),
  };
}

function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}

/**
 * Runs one op frame end to end and returns the one result frame that answers it. A change is a
 * job (relay/ops/jobs.ts): once it passed its checks the edge is told it started, and it runs to its
 * end whoever watches; only its timeout or an explicit cancel stops it. A read is stopped when the
 * edge cancels it (its viewer left).
 */
export class Dispatcher {
  /** Reads in flight, and ops still being checked, by op id (changes that started are in deps.jobs). */
  private readonly reads = new Map<string, AbortController>();

  constructor(private readonly deps: DispatchDeps) {}

  /** Stop an op: a change (an explicit Cancel) or a read (its viewer left). */
  cancel(id: string): void {
    this.deps.jobs.get(id)?.abort.abort();
    this.reads.get(id)?.abort();
  }

  /** Stop everything (the relay is shutting down). */
  cancelAll(): void {
    this.deps.jobs.abortAll();
    for (const c of this.reads.values()) c.abort();
  }

  get inFlight(): number {
    return this.reads.size + this.deps.jobs.list().length;
  }

  /**
   * A viewer on the edge wants a change's output: the frames to send back, in order — what the
   * change printed so far (tagged for that viewer), then `attached`. From then on its live output
   * is sent until as many detaches have come. A change that ended moments ago (its own starter's
   * attach can come after a fast change ended) still replays its output, with `running: false`:
   * the edge takes its outcome from history.
   */
  attach(id: string, tag: string): RelayFrame[] {
    const job = this.deps.jobs.get(id);
    const output = job?.output ?? this.deps.jobs.endedOutput(id);
    if (!output) return [{ type: "attached", id, tag, running: false, end: 0, dropped: 0 }];
    if (job) job.watchers++;
    const replay: RelayFrame[] = output.kept().map((p) => ({ type: "chunk", id, stream: p.stream, data: p.data, seq: p.seq, tag }));
    return [...replay, { type: "attached", id, tag, running: job !== undefined, end: output.end, dropped: output.dropped }];
  }

  detach(id: string): void {
    const job = this.deps.jobs.get(id);
    if (job) job.watchers = Math.max(0, job.watchers - 1);
  }

  /** The one result frame that answers op `id`, never larger than a frame may be (see fitFrame). */
  async handle(id: string, jws: string): Promise<ResultFrame> {
    return fitFrame(await this.handleWhole(id, jws));
  }

  private async handleWhole(id: string, jws: string): Promise<ResultFrame> {
    // Cancellable from the moment it arrives: a cancel that overtakes its checks (a viewer who left
    // at once) is not lost, so the op never starts a command nobody will stop.
    // (An id already in flight is a replay, which the verifier refuses: it must not take its place.)
    const arrived = new AbortController();
    if (!this.reads.has(id) && !this.deps.jobs.get(id)) this.reads.set(id, arrived);
    try {
      return await this.checkAndRun(id, jws, arrived.signal);
    } finally {
      if (this.reads.get(id) === arrived) this.reads.delete(id);
    }
  }

  private async checkAndRun(id: string, jws: string, arrived: AbortSignal): Promise<ResultFrame> {
    const received = performance.now();
    // A change that started names its job in its result too (protocol/frames.ts resultFrame).
    let job: JobInfo | undefined;
    const withJob = <F extends ResultFrame>(frame: F): F => (job ? { ...frame, job } : frame);
    const fail = (error: OpError): ResultFrame => withJob({ type: "result", id, ok: false, error });
    const { verifier, history, policy, log } = this.deps;

    const verdict = await verifier.verify(id, jws);
    if (!verdict.ok) {
      log.warn({ opId: id, reason: verdict.reason }, "op rejected");
      history.reject(id, null, verdict.reason);
      return fail({ code: "rejected", message: `op rejected: ${verdict.reason}` });
    }
    const { claims } = verdict;
    if (!isOpName(claims.op)) {
      history.reject(id, claims.op, "not in the catalog");
      return fail({ code: "rejected", message: `op ${claims.op} is not in this relay's catalog` });
    }
    const spec = ops[claims.op];
    if ((policy.readOnly && spec.mutates) || policy.deny.includes(claims.op)) {
      const why = policy.readOnly && spec.mutates ? "this relay is read-only" : `${claims.op} is denied by this relay's policy`;
      history.reject(id, claims.op, why);
      log.warn({ opId: id, op: claims.op }, why);
      return fail({ code: "denied", message: why });
    }
    // Defence in depth: the edge decided this op where it signed it; the relay decides again, by the
    // same policy, from the role and grants the signed claims carry (an edge bug cannot widen them).
    const decision = decide({ user: claims.sub, role: claims.role, grants: claims.grants }, claims.op, claims.args);
    if (!decision.allowed) {
      const why = `the signed claims do not cover this op: ${decision.reason}`;
      history.reject(id, claims.op, why);
      log.warn({ opId: id, op: claims.op, user: claims.sub, role: claims.role }, why);
      return fail({ code: "denied", message: why });
    }
    // The arguments are parsed here, once: the job's title and the run both take the parsed ones.
    let args: OpParsedArgs<OpName>;
    try {
      args = parseOpArgs(claims.op, claims.args);
    } catch (e) {
      if (e instanceof OpFailure) return fail({ code: e.code, message: e.message });
      throw e;
    }
    let signal: AbortSignal;
    if (spec.mutates) {
      // the entry's own checks of this relay's settings, before a job starts (a refusal is no change)
      try {
        (catalog[claims.op] as CatalogEntry<OpName>).refuse?.(args as never, {
          dokkuVersion: this.deps.dokkuVersion,
          allowIsolationBreaking: this.deps.allowIsolationBreaking === true,
        });
      } catch (e) {
        if (e instanceof OpFailure) return fail({ code: e.code, message: e.message });
        throw e;
      }
      const app = appOf(args);
      const info: JobInfo = { opId: id, op: claims.op, app, requestedBy: claims.sub, startedAt: Date.now(), title: changeTitle(claims.op, app, args) };
      const verdict = this.deps.jobs.start(info);
      if (!verdict.ok) {
        const r = verdict.running;
        return fail({
          code: "busy",
          // The edge links the running change's page from `opId`; the words stay readable without it.
          message: `${r.app} is busy: ${r.title ?? r.op}, started by ${r.requestedBy} at ${new Date(r.startedAt).toISOString().slice(0, 19).replace("T", " ")} UTC, is still running. Wait for it to end.`,
          opId: r.opId,
        });
      }
      signal = verdict.job.abort.signal;
      this.reads.delete(id);
      if (arrived.aborted) verdict.job.abort.abort();
      this.deps.onStarted(id, info);
      job = info;
    } else {
      signal = arrived;
    }
    try {
      const run = { opId: id, op: claims.op, requestedBy: claims.sub, signal };
      const result = await runParsed(claims.op, args, (a) => opContext(this.deps, run, a));
      // receivedAt (epoch ms): where the op's time went on either side of the relay (bench/link-breakdown.ts)
      const receivedAt = Math.round((performance.timeOrigin + received) * 10) / 10;
      log.info({ opId: id, op: claims.op, ms: Math.round((performance.now() - received) * 10) / 10, receivedAt }, "op done");
      return withJob({ type: "result", id, ok: true, result });
    } catch (e) {
      if (e instanceof OpFailure) {
        log.info({ opId: id, op: claims.op, code: e.code }, "op failed");
        return fail({ code: e.code, message: e.message.length > MESSAGE_CHARS ? `${e.message.slice(0, MESSAGE_CHARS)}…` : e.message });
      }
      log.error({ opId: id, op: claims.op, err: e }, "op crashed");
      return fail({ code: "internal", message: "the relay failed while running this op; see its log" });
    } finally {
      this.deps.jobs.finish(id);
    }
  }
}
