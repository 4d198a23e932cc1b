import type { OpError, ResultFrame } from "../protocol/frames.js";
import { argsErrorMessage, ops, type OpName } from "../protocol/ops.js";
import { catalog } from "./catalog/index.js";
import { OpFailure, type HealthSource, type OpContext } from "./catalog/types.js";
import type { History } from "./history.js";
import type { Log } from "./log.js";
import { LineStream } from "./line-stream.js";
import { run, type RunResult } from "./run.js";
import type { OpVerifier } from "./verify.js";

export interface Policy {
  readOnly: boolean;
  deny: string[];
}

export interface DispatchDeps {
  verifier: OpVerifier;
  history: History;
  policy: Policy;
  host: string;
  dokkuBin: string;
  dokkuEnv?: NodeJS.ProcessEnv;
  log: Log;
  /** The Dokku version detected at start (x.y.z), or null: ops then use text output. */
  dokkuVersion: string | null;
  /** Background server metrics for server.health. */
  health?: HealthSource;
  /** Send a chunk of live output for a streaming op. */
  sendChunk: (id: string, stream: "stdout" | "stderr", data: string) => void;
}

function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}

/** Runs one op frame end to end and returns the one result frame that answers it. */
export class Dispatcher {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: DispatchDeps) {}

  cancel(id: string): void {
    this.running.get(id)?.abort();
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  get inFlight(): number {
    return this.running.size;
  }

  async handle(id: string, jws: string): Promise<ResultFrame> {
    const received = Date.now();
    const fail = (error: OpError): ResultFrame => ({ type: "result", id, ok: false, error });
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
    const args = spec.args.safeParse(claims.args);
    if (!args.success) return fail({ code: "bad_request", message: argsErrorMessage(args.error) });

    const abort = new AbortController();
    this.running.set(id, abort);
    try {
      const ctx = this.context(id, claims.op, claims.sub, args.data as Record<string, unknown>, abort.signal);
      // The catalog is keyed by op name; each entry's argument type matches its own schema.
      const entry = catalog[claims.op] as unknown as { run(c: OpContext, a: unknown): Promise<unknown> };
      const result = spec.result.parse(await entry.run(ctx, args.data));
      log.info({ opId: id, op: claims.op, ms: Date.now() - received }, "op done");
      return { type: "result", id, ok: true, result };
    } catch (e) {
      if (e instanceof OpFailure) {
        log.info({ opId: id, op: claims.op, code: e.code }, "op failed");
        return fail({ code: e.code, message: e.message });
      }
      log.error({ opId: id, op: claims.op, err: e }, "op crashed");
      return fail({ code: "internal", message: "the relay failed while running this op; see its log" });
    } finally {
      this.running.delete(id);
    }
  }

  private context(opId: string, op: OpName, sub: string, args: Record<string, unknown>, signal: AbortSignal): OpContext {
    const { history, dokkuBin, dokkuEnv, host, sendChunk, dokkuVersion, health } = this.deps;
    const app = typeof args.app === "string" ? args.app : null;
    return {
      history,
      signal,
      dokkuVersion,
      ...(health ? { health } : {}),
      async dokku(argv, call = {}) {
        const rowId = history.start({
          opId,
          host,
          op,
          app,
          argv: ["dokku", ...argv.map((a, i) => call.secretArgs?.(a, i) ?? a)],
          requestedBy: sub,
          startedAt: Date.now(),
        });
        const redact = call.redactOutput ?? ((t: string) => t);
        // Live output gets the same redaction as history, on whole lines.
        const live = call.stream
          ? (["stdout", "stderr"] as const).map(
              (stream) => new LineStream((text) => sendChunk(opId, stream, text), (t) => redact(call.chunkFilter ? call.chunkFilter(t) : t)),
            )
          : null;
        const res: RunResult = await run(dokkuBin, argv, {
          timeoutMs: call.timeoutMs ?? ops[op].timeoutMs,
          signal,
          env: dokkuEnv,
          onChunk: live ? (stream, data) => live[stream === "stdout" ? 0 : 1]!.push(data) : undefined,
          ...(call.keepTail !== undefined ? { keepTail: call.keepTail } : {}),
        });
        live?.forEach((l) => l.flush());
        history.finish(rowId, {
          exitCode: res.exitCode,
          outcome: res.stopped === "timeout" ? "timeout" : res.stopped ? "killed" : res.exitCode === 0 ? "ok" : "error",
          stdout: redact(res.stdout),
          stderr: redact(res.stderr),
          durationMs: res.durationMs,
          finishedAt: res.finishedAt,
        });
        return res;
      },
    };
  }
}
