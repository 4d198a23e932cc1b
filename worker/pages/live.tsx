import type { Child } from "hono/jsx";
import type { OpName } from "../../protocol/ops.js";
import type { StreamRenderer } from "../streams/change.js";
import type { Outcome } from "../hub/outcome.js";
import { OutcomeMessage } from "./outcome.js";
import { opUrl } from "../urls.js";

/**
 * Live output of a change for htmx's SSE extension: the first message lays out an output pane in
 * the button's target, with a link to the change's own page (it runs on whoever watches); each
 * chunk is appended to the pane (an <hx-partial>), and the outcome lands under it. Host output is
 * always escaped text.
 */
export function liveRenderer<N extends OpName>(opts: {
  /** The host's id, for the link to the change's page. */
  host: string;
  historyHref: string;
  success: (outcome: Extract<Outcome<N>, { kind: "ok" }>) => Child;
}): (opId: string) => StreamRenderer<N> {
  return (opId) => {
    let streamed = false;
    return {
      start: (started = true) =>
        (
          <div class="live-op">
            {started ? (
              <p class="live-link">
                <a href={opUrl(opts.host, opId)}>Follow this change on its own page</a> — it keeps running if you leave.
              </p>
            ) : null}
            <pre class="live" id={`live-${opId}`} aria-live="polite" aria-label="Command output"></pre>
            <div id={`end-${opId}`} class="live-end" aria-live="assertive"></div>
          </div>
        ).toString(),
      dropped: (chars) =>
        (
          <hx-partial hx-target={`#live-${opId}`} hx-swap="beforeend">
            <span class="mark">{`[the first ${chars} characters of this output are no longer kept]\n`}</span>
          </hx-partial>
        ).toString(),
      chunk: (stream, text) => {
        streamed = true;
        return (
          <hx-partial hx-target={`#live-${opId}`} hx-swap="beforeend">
            <span class={stream === "stderr" ? "err" : undefined}>{text}</span>
          </hx-partial>
        ).toString();
      },
      outcome: (outcome) =>
        (
          <hx-partial hx-target={`#end-${opId}`} hx-swap="innerHTML">
            {outcome.kind === "ok" ? (
              opts.success(withoutStreamedOutput(outcome as Extract<Outcome<N>, { kind: "ok" }>, streamed))
            ) : (
              <OutcomeMessage outcome={outcome} historyHref={opts.historyHref} host={opts.host} />
            )}
          </hx-partial>
        ).toString(),
    };
  };
}

/**
 * Output already shown live is not repeated in the summary; a command that printed nothing live
 * (it does not stream) keeps its output there, so it is never lost.
 */
function withoutStreamedOutput<O extends { result: unknown }>(outcome: O, streamed: boolean): O {
  const r = outcome.result;
  if (!streamed || typeof r !== "object" || r === null || typeof (r as { output?: unknown }).output !== "string") return outcome;
  return { ...outcome, result: { ...r, output: "" } };
}
