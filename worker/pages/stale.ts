import { invalidatesOf, type ChangeOp, type OpName } from "../../protocol/ops.js";

/**
 * The one rule that keeps a page true after a change: a change's answer names what it made stale,
 * and each part of a page that shows a read listens for that and reloads itself. What is stale
 * comes from the change op's own `invalidates` declaration (protocol/ops/spec.ts), the same one the
 * edge's read cache drops results by (worker/hub/read-cache.ts): one declaration, read twice.
 *
 * On the wire a stale read is a DOM event named after it (`stale-apps-list` for apps.list;
 * `stale-host` for a change that declares "host"). A change answered whole names them in its
 * `HX-Trigger` header; a change that streams sends them as SSE events after its outcome (htmx
 * triggers each on the element that asked; they bubble to `body`). Only a change that did (or may
 * have) happened sends them, as only those drop cached reads; history, never cached, is named
 * after every change the host answered (eventsAfter).
 */

/** The event a stale read is announced by: "stale-" and the op name with dots as dashes. */
export function staleEvent(read: OpName | "host"): string {
  return `stale-${read.replaceAll(".", "-")}`;
}

/** The events a change sends when it did (or may have) happened: from its `invalidates` declaration. */
export function staleEventsOf(op: ChangeOp): string[] {
  const declared = invalidatesOf(op);
  return declared === "host" ? [staleEvent("host")] : declared.map((r) => staleEvent(r as OpName));
}

/** Whether an outcome means the change did (or may have) happened, so what it declares is stale. */
export const changed = (kind: string) => kind === "ok" || kind === "unknown";

/**
 * The events a change's answer sends once it ended as `kind`: what it declares stale when it did (or
 * may have) happened, and history whenever the host answered, since a change that failed is listed
 * too (the dashboard's recent changes). Not when the host could not be reached ("offline",
 * "timeout"): reading history again would only swap the list for the same failure.
 */
export function eventsAfter(op: ChangeOp, kind: string): string[] {
  const answered = kind !== "offline" && kind !== "timeout";
  return [...(changed(kind) ? staleEventsOf(op) : []), ...(answered ? [staleEvent("history.list")] : [])];
}

/** The `HX-Trigger` header of a change answered whole as `kind`: its events (eventsAfter), each triggered on `body`. */
export function staleHeader(op: ChangeOp, kind: string): string {
  return JSON.stringify(Object.fromEntries(eventsAfter(op, kind).map((e) => [e, { target: "body" }])));
}

/**
 * The htmx attributes of a part of a page that shows `reads`: it GETs `url` (the same part, read
 * again) and swaps itself with the answer when a change makes one of them, or the whole host,
 * stale. The answer must carry these attributes again (render the part with the same helper).
 */
export function reloadsOn(url: string, reads: readonly OpName[]): Record<string, string> {
  const events = [...reads.map((r) => staleEvent(r)), staleEvent("host")];
  // settle:0: htmx's settle step copies each old element's style attribute onto its new twin, which
  // the CSP (style-src 'self') refuses (a filled textarea carries an empty one); nothing here animates.
  // hx-sync replace: a later change's read of this part stops an earlier one still on its way,
  // whose older answer would otherwise land last and undo what the page showed.
  // data-reloads: the part holds its swap while a form inside it still runs a change (public/hold-reloads.js).
  return {
    "data-reloads": "",
    "hx-get": url,
    "hx-trigger": events.map((e) => `${e} from:body`).join(", "),
    "hx-swap": "outerHTML settle:0",
    "hx-sync": "this:replace",
  };
}
