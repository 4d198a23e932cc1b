import type { Child } from "hono/jsx";
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

/** A `May` that allows nothing: a page shown to someone who may change nothing there. */
export const mayNothing: May = () => false;

/**
 * The one way a page offers an action: `children` (the form or button that runs `op` with `args`)
 * only when the policy allows it the signed-in user, else `otherwise` (nothing by default). A viewer
 * sees the state without the forms; an action shown is still decided where its op is signed.
 */
export function IfMay({ may, op, args, otherwise, children }: { may: May; op: OpName; args: unknown; otherwise?: Child; children?: Child }) {
  return <>{may(op, args) ? children : (otherwise ?? null)}</>;
}
