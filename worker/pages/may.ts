import type { OpName } from "../../protocol/ops.js";

/**
 * What the one policy says the signed-in user may do, as a page asks it to choose which actions
 * to show (`HostClient.may`, protocol/policy.ts). A page never decides itself: an action it shows
 * is still decided where its op is signed.
 */
export type May = (op: OpName, args: unknown) => boolean;

/** `host.may` as a yes/no, for pages. */
export function mayOf(host: { may(op: OpName, args: unknown): { allowed: boolean } }): May {
  return (op, args) => host.may(op, args).allowed;
}
