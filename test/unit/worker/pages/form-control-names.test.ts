import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".tsx") ? [path] : [];
  });
}

/**
 * A form control named like one of the form's own properties shadows it in the DOM: with
 * `<input name="id">`, `form.id` is that input, not the form's id. htmx reads such properties
 * (`form.enctype` when it builds a request; `elt.id` when its morph swap matches elements, where a
 * cron task's `name="id"` made every such form unmatchable), and so does the browser's own submit.
 * The names below are the form properties a script reads.
 */
const SHADOWING = ["id", "action", "method", "target", "enctype", "encoding", "elements", "length", "submit", "reset", "className", "style"];

describe("form controls never shadow the form's own properties", () => {
  it(`no control in worker/ is named ${SHADOWING.join(", ")}`, () => {
    const found = sources("worker").flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [...text.matchAll(/<(input|select|textarea|button)\b[^>]*\bname=["{]?["']?([A-Za-z]+)["']?/g)]
        .filter((m) => SHADOWING.includes(m[2]!))
        .map((m) => `${file}:${text.slice(0, m.index).split("\n").length}: name="${m[2]}"`);
    });
    expect(found).toEqual([]);
  });
});
