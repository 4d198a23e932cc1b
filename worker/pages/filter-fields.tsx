import type { Child } from "hono/jsx";

/**
 * The fields of a GET filter form (history, activity): each a labelled input or select whose value
 * is the one the page was asked with, so a filtered list is a link and works without JavaScript.
 */

/** A typed filter: `<label>` and `<input>` sharing `id`; `value` echoed back ("" when absent). */
export function TextFilter(p: { id: string; name: string; label: string; value: string | undefined; maxlength?: number; type?: "search" | "date" }) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <input id={p.id} name={p.name} type={p.type} value={p.value ?? ""} maxlength={p.maxlength} autocomplete={p.type ? undefined : "off"} />
    </div>
  );
}

/**
 * A chosen filter: a select whose first option (value "") is `any`, then `options` as [value, text]
 * pairs with `value` selected, then `children` (e.g. optgroups).
 */
export function SelectFilter(p: {
  id: string;
  name: string;
  label: string;
  any: string;
  value: string | undefined;
  options?: ReadonlyArray<readonly [string, string]>;
  children?: Child;
}) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} name={p.name}>
        <option value="">{p.any}</option>
        {(p.options ?? []).map(([v, text]) => (
          <option value={v} selected={p.value === v}>
            {text}
          </option>
        ))}
        {p.children}
      </select>
    </div>
  );
}

/** The form's end: Filter, and Clear back to `clear` (the list unfiltered). */
export function FilterActions({ clear }: { clear: string }) {
  return (
    <div class="filter-actions">
      <button type="submit">Filter</button>
      <a href={clear}>Clear</a>
    </div>
  );
}
