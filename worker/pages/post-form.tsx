import type { Child } from "hono/jsx";

/**
 * A form that posts a change to `action` both ways: with htmx its answer lands in `target` (a CSS
 * selector; `swap` how, innerHTML unless said), `confirm` asked first, `vals` (JSON) added to what
 * it sends, `sync` how a second submit meets one still running, and its buttons disabled while it
 * runs; without script it is a plain POST. Every change form of the pages is one of these.
 */
export function PostForm(p: {
  action: string;
  target: string;
  confirm?: string | undefined;
  class?: string;
  label?: string;
  labelledby?: string;
  include?: string | undefined;
  swap?: string;
  vals?: string | undefined;
  sync?: string;
  children?: Child;
}) {
  return (
    <form
      method="post"
      action={p.action}
      class={p.class}
      aria-label={p.label}
      aria-labelledby={p.labelledby}
      hx-post={p.action}
      hx-target={p.target}
      hx-swap={p.swap}
      hx-include={p.include}
      hx-vals={p.vals}
      hx-sync={p.sync}
      hx-disable="find button"
      hx-confirm={p.confirm}
    >
      {p.children}
    </form>
  );
}
