import type { Child } from "hono/jsx";

/**
 * A column's heading: its name, `{ hidden }` for a name only screen readers hear (a column of
 * buttons), or null/false for a column this page leaves out.
 */
export type Column = string | { hidden: string } | null | false;

/**
 * A data table as the pages write one: a caption if given, a header row naming the columns, and
 * `children` (the body's rows). `wrap` puts it in a `.table-wrap` that scrolls sideways when the
 * table is wider than the page. Each body cell still carries its own `data-label` (the stacked
 * phone layout reads it from the cell).
 */
export function Table(p: { class: string; columns: Column[]; caption?: string; wrap?: boolean; children?: Child }) {
  const table = (
    <table class={p.class}>
      {p.caption ? <caption>{p.caption}</caption> : null}
      <thead>
        <tr>
          {p.columns.map((c) =>
            !c ? null : typeof c === "string" ? (
              <th scope="col">{c}</th>
            ) : (
              <th scope="col">
                <span class="visually-hidden">{c.hidden}</span>
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{p.children}</tbody>
    </table>
  );
  return p.wrap ? <div class="table-wrap">{table}</div> : table;
}
