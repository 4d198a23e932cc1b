import type { CryptoKey } from "jose";
import { ops, type OpName } from "../../protocol/ops.js";
import { decide } from "../../protocol/policy.js";
import type { Principal } from "../../protocol/principal.js";
import { audit } from "../audit/record.js";
import { opOutcomeText } from "../audit/events.js";
import type { Env } from "../env.js";
import { hostRegistry } from "../registry/client.js";
import { importOpSigningKey } from "../registry/op-key.js";
import type { Outcome } from "./outcome.js";
import type { PendingOp, PendingOps, StartOutcome } from "./pending-ops.js";
import { attachmentOf, sendFrame } from "./relay-socket.js";
import { signOp } from "./sign-op.js";

/** What a caller of `OpSender.send` may hook into an op: its output, its id, its start, and whether it is still wanted. */
export interface SendHooks {
  onChunk?: PendingOp["onChunk"];
  /** Chosen by the caller when it may need to cancel the op (a viewer leaving a stream). */
  opId?: string;
  onStarted?: PendingOp["onStarted"];
  /** Asked once the op is signed; false (its viewer left meanwhile) sends nothing. */
  wanted?: () => boolean;
}

/**
 * The one place a HostHub signs an op and sends it to its relay: the policy first (nothing it
 * refuses is ever signed, and a refusal is audited), then the EdDSA JWS with the key imported once
 * per object (a rotation hands over the next one), the frame, the wait for its one reply
 * (PendingOps), and the audit rows of what was sent and how it ended.
 */
export class OpSender {
  private signingKey: CryptoKey | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly pending: PendingOps,
    /** The connected relay, or null (HostHub.liveRelay). */
    private readonly liveRelay: () => WebSocket | null,
  ) {}

  /** Sign op `op` for `principal`, send it to the relay, and resolve with how it ended. */
  async send<N extends OpName>(op: N, args: Record<string, unknown>, principal: Principal, hooks: SendHooks): Promise<Outcome<N>> {
    const refused = this.refusal(principal, op, args);
    if (refused) return refused;
    const relay = this.liveRelay();
    if (!relay) return { kind: "offline", message: "the host's relay is not connected" };
    const att = attachmentOf(relay)!;
    const id = hooks.opId ?? crypto.randomUUID();
    const jws = await this.sign(id, att.host, op, args, principal);
    if (hooks.wanted && !hooks.wanted()) return { kind: "error", code: "cancelled", message: "its viewer left before it was sent" };
    // Every op signed is audited: a change once sent ("running") and again when it ends, a read when it ends.
    const audited = (outcome: string) => void audit(this.env, { kind: "op", user: principal.user, host: att.host, op, args, opId: id, outcome });
    if (ops[op].mutates) audited("running");
    const outcome = this.pending.wait<N>(
      id,
      { op, args, conn: att.conn, ...(hooks.onChunk ? { onChunk: hooks.onChunk } : {}), ...(hooks.onStarted ? { onStarted: hooks.onStarted } : {}) },
      () => {
        if (!ops[op].mutates) sendFrame(relay, { type: "cancel", id });
      },
    );
    if (!sendFrame(relay, { type: "op", id, jws })) this.pending.settle(id, { kind: "offline", message: "the host's relay is not connected" });
    void outcome.then((o) => audited(opOutcomeText(o)));
    return outcome;
  }

  /**
   * Start change `op` and resolve once the relay has accepted it (or why it never started); the
   * change then runs to its end whoever watches, and `onEnded` hears how it ended.
   */
  async start(op: OpName, args: Record<string, unknown>, principal: Principal, onEnded?: (ok: boolean, message: string) => void): Promise<StartOutcome> {
    const refused = this.refusal(principal, op, args);
    if (refused) return refused;
    if (!ops[op].mutates) return { kind: "error", code: "bad_request", message: `${op} is not a change` };
    return new Promise<StartOutcome>((resolveStart) => {
      let answered = false;
      const onStarted = (s: StartOutcome) => {
        answered = true;
        resolveStart(s);
      };
      const opId = crypto.randomUUID();
      void this.send(op, args, principal, { onStarted, opId }).then((ended) => {
        if (answered) return onEnded?.(ended.kind === "ok", ended.kind === "ok" ? "ok" : ended.message);
        if (ended.kind !== "ok") return resolveStart(ended);
        // It ran and ended before its start was heard here: it started, and its end is kept for the
        // viewer who comes next (PendingOps' recent ends), never reported as a failure to start.
        resolveStart({ kind: "started", opId });
        onEnded?.(true, "ok");
      });
    });
  }

  /**
   * The policy's refusal of `op` for `principal` as an outcome (403 "denied" with its reason), or
   * null when allowed. A refusal is audited (outcome "denied", the reason as its detail).
   */
  refusal(principal: Principal, op: OpName, args: Record<string, unknown>): { kind: "error"; code: "denied"; message: string } | null {
    const verdict = decide(principal, op, args);
    if (verdict.allowed) return null;
    const host = this.ctx.id.name ?? null;
    void audit(this.env, { kind: "op", user: principal.user, host, op, args, opId: null, outcome: "denied", detail: verdict.reason });
    return { kind: "error", code: "denied", message: `Not allowed: ${verdict.reason}.` };
  }

  /** Key rotation: from now on ops are signed with `key` (the relay has been sent its statement first). */
  useKey(key: CryptoKey): void {
    this.signingKey = key;
  }

  private async sign(id: string, host: string, op: OpName, args: Record<string, unknown>, principal: Principal): Promise<string> {
    // The key lives in the host registry; a rotation hands this hub the new one (useKey).
    this.signingKey ??= await importOpSigningKey(await hostRegistry(this.env).opSigningKey());
    return signOp(this.signingKey, { id, host, op, args, principal });
  }
}
