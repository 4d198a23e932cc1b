import type { OpError, ResultFrame } from "../protocol/frames.js";
import { ops, type OpName } from "../protocol/ops.js";
import { OpFailure } from "./catalog/types.js";
import type { Log } from "./log.js";
import { opContext, runEntry, type RelayRuntime } from "./op-context.js";
import type { OpVerifier } from "./verify.js";

export interface Policy {
  readOnly: boolean;
  deny: string[];
}

export interface DispatchDeps extends RelayRuntime {
  verifier: OpVerifier;
  policy: Policy;
  log: Log;
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
    const abort = new AbortController();
    this.running.set(id, abort);
    try {
      const run = { opId: id, op: claims.op, requestedBy: claims.sub, signal: abort.signal };
      const result = await runEntry(claims.op, claims.args, (args) => opContext(this.deps, run, args));
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
}
