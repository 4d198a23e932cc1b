import type { Env } from "../env.js";
import { errText, log } from "../log.js";
import { team } from "../team/client.js";
import { rowOf, type AuditEvent } from "./events.js";

export type { AuditEvent } from "./events.js";

/**
 * Records `event` in the audit trail (the Team Durable Object). The one way anything is audited.
 * An audit that cannot be written is logged and never fails what was done: the action already
 * happened, and refusing to answer would hide it from the user too.
 */
export async function audit(env: Env, event: AuditEvent): Promise<void> {
  try {
    await team(env).record(rowOf(event));
  } catch (e) {
    log.error("audit event not recorded", { kind: event.kind, err: errText(e) });
  }
}

/** A change's end, by its op id (see AuditStore.ended). */
export async function auditOpEnded(env: Env, opId: string, outcome: string): Promise<void> {
  try {
    await team(env).opEnded(opId, outcome);
  } catch (e) {
    log.error("audit event not recorded", { kind: "op", err: errText(e) });
  }
}
