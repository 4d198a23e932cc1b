import type { Child } from "hono/jsx";
import type { OpName, OpResult } from "../../protocol/ops.js";
import type { Outcome } from "../hub/outcome.js";
import type { May } from "./may.js";
import { OutcomeMessage } from "./outcome.js";
import { reloadsOn } from "./stale.js";

/** What a part of an app's page that shows read `N` is given: the app, the read's outcome, where the app's history is, and the policy's answers. */
export interface AppRead<N extends OpName> {
  host: string;
  app: string;
  report: Outcome<N>;
  historyHref: string;
  may: May;
}

/**
 * A part of a page (`<div id>`) that shows one read's outcome and GETs `href` again when a change
 * makes one of `reads` stale (worker/pages/stale.ts): `show(result)` when the read answered, else
 * why not. The route that answers `href` renders the same part.
 */
export function ReadPart<N extends OpName>(p: {
  id: string;
  href: string;
  reads: readonly OpName[];
  outcome: Outcome<N>;
  historyHref: string;
  /** Given to OutcomeMessage (it links a busy app's running change). */
  host?: string;
  show: (result: OpResult<N>) => Child;
}) {
  const o = p.outcome;
  return (
    <div id={p.id} {...reloadsOn(p.href, p.reads)}>
      {o.kind === "ok" ? p.show(o.result) : <OutcomeMessage outcome={o} historyHref={p.historyHref} {...(p.host ? { host: p.host } : {})} />}
    </div>
  );
}
