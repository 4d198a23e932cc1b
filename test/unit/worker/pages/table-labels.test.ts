import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .tsx file under `dir`. */
function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith(".tsx") ? [path] : [];
  });
}

/**
 * On a phone every data table stacks one block per row and each cell is led by its column's name,
 * which CSS can only read from the cell itself (`td[data-label]::before` in worker/pages/app.css). So each
 * `<td>` a page writes says its label, or `data-label=""` where the cell needs none (actions).
 */
describe("table cells carry the label they show when the table stacks at 390 px", () => {
  it("every <td> in worker/ has a data-label", () => {
    const unlabelled = pages("worker").flatMap((file) => {
      const text = readFileSync(file, "utf8");
      // an opening tag may wrap over lines when its attributes are long
      return [...text.matchAll(/<td(\s[^>]*)?>/g)]
        .filter((m) => !/\bdata-label=/.test(m[1] ?? ""))
        .map((m) => `${file}:${text.slice(0, m.index).split("\n").length}`);
    });
    expect(unlabelled).toEqual([]);
  });
});
