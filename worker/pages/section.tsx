import type { Child } from "hono/jsx";

/**
 * A part of a page named by its heading: a `<section>` labelled by its `<h2>`, whose id is
 * `${name}-h` (so the pair cannot drift apart). Other attributes (`id`, `class`, data-*, a
 * reloadsOn spread) go on the section.
 */
export function Section({ name, title, children, ...attrs }: { name: string; title: Child; children?: Child } & Record<string, unknown>) {
  return (
    <section aria-labelledby={`${name}-h`} {...attrs}>
      <h2 id={`${name}-h`}>{title}</h2>
      {children}
    </section>
  );
}
