import { appOf } from "../../protocol/ops.js";
import { decide, isAdminRole, seesApp } from "../../protocol/policy.js";
import type { Principal } from "../../protocol/principal.js";
import type { PendingOps } from "./pending-ops.js";
import { sendFrame } from "./relay-socket.js";
import type { ViewerCallback, Viewers } from "./viewers.js";

/**
 * Whether `principal` may follow change `opId`'s output: they could run it, or see its app (while
 * this hub holds it); else they may read the host's history, where its output is kept anyway.
 */
export function mayWatch(pending: PendingOps, opId: string, principal: Principal): boolean {
  const p = pending.get(opId);
  const app = p ? appOf(p.args) : null;
  if (app !== null && seesApp(principal, app)) return true;
  return decide(principal, "history.get", { opId }).allowed;
}

/**
 * Whether `principal` may Cancel change `id`: when they may run that change (its op and args,
 * while this hub still holds it), else only as an owner or admin.
 */
export function mayCancel(pending: PendingOps, id: string, principal: Principal): boolean {
  const p = pending.get(id);
  return p ? decide(principal, p.op, p.args).allowed : isAdminRole(principal.role);
}

/**
 * One viewer of change `opId` on `relay` (null: offline): refused unless `mayWatch`, else added to
 * `viewers` and the relay asked to replay its output for a fresh tag. Resolves when the viewer is done.
 */
export async function watchChange(
  viewers: Viewers,
  pending: PendingOps,
  relay: WebSocket | null,
  opId: string,
  principal: Principal,
  deliver: ViewerCallback,
): Promise<void> {
  if (!mayWatch(pending, opId, principal)) {
    await deliver({ type: "end", outcome: { kind: "error", code: "denied", message: "Not allowed: you may not see this change's output." } });
    return;
  }
  if (!relay) {
    await deliver({ type: "end", outcome: { kind: "offline", message: "the host's relay is not connected; a change that had started keeps running there" } });
    return;
  }
  const tag = crypto.randomUUID();
  const { done } = viewers.add(opId, tag, deliver);
  sendFrame(relay, { type: "attach", id: opId, tag });
  await done;
}
