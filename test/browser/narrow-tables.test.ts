import { describe, expect, it } from "vitest";
import { activityUrl, appUrl, historyUrl } from "../../worker/urls.js";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Tables on a phone (issue #18 §3): at 390 px each data table stacks one block per row, each cell led
 * by its column's name, nothing scrolls sideways; at 1280 px the same tables keep their columns and
 * show no label inside a cell.
 */

const { open } = useSignedInBrowser();

/** Each data table on the page, as the reader sees it. */
interface TableView {
  cls: string;
  headerShown: boolean;
  /** Cells with a label: what CSS put before each, and whether it starts its own line. */
  cells: Array<{ label: string; before: string; ownLine: boolean }>;
}

const PAGES: Array<[name: string, path: string, table: string]> = [
  ["dashboard", "/", "apps"],
  ["hosts", "/hosts", "hosts"],
  ["history", historyUrl("demo", { show: "all" }), "history"],
  ["config", appUrl("demo", "api", "/config"), "config"],
  ["overview", appUrl("demo", "api"), "containers"],
  ["activity", activityUrl(), "activity-events"],
];

describe("data tables at 390 px and at 1280 px", () => {
  for (const [name, path, table] of PAGES) {
    it(`${name}: table.${table} stacks with labels at 390 px and keeps its columns at 1280 px`, async () => {
      for (const width of [390, 1280]) {
        const { page, problems } = await open(path, width);
        await page.locator(`table.${table} tbody tr`).first().waitFor();
        await screenshot(page, `narrow-tables-${name}-${width}px`);
        const view = await page.evaluate((cls): TableView => {
          const t = document.querySelector<HTMLTableElement>(`table.${cls}`)!;
          const head = t.querySelector("thead")!.getBoundingClientRect();
          const cells = [...t.querySelectorAll<HTMLTableCellElement>("tbody td[data-label]")].filter((td) => td.dataset.label !== "");
          return {
            cls,
            headerShown: head.height > 1 && head.width > 1,
            cells: cells.map((td) => {
              const row = td.parentElement!.getBoundingClientRect();
              const box = td.getBoundingClientRect();
              return { label: td.dataset.label!, before: getComputedStyle(td, "::before").content, ownLine: box.width > row.width * 0.9 };
            }),
          };
        }, table);
        expect(view.cells.length, `${name}: labelled cells`).toBeGreaterThan(0);
        if (width === 390) {
          expect(view.headerShown, `${name}: header row out of sight`).toBe(false);
          for (const c of view.cells) {
            expect(c.before, `${name}: ${c.label}`).toBe(JSON.stringify(c.label));
            expect(c.ownLine, `${name}: ${c.label} on its own line`).toBe(true);
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(390);
        } else {
          expect(view.headerShown, `${name}: header row shown`).toBe(true);
          for (const c of view.cells) expect(c.before, `${name}: ${c.label}`).toBe("none");
        }
        expect(problems, `${name} at ${width} px`).toEqual([]);
        await page.close();
      }
    });
  }
});
