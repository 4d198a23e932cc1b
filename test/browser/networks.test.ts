import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * The host's Networks page (issue #22) in a real browser, on Dokku 0.38: create a network, see it
 * listed (the list reads itself again), destroy it behind its name typed again, see it gone; at
 * 1280 px and 390 px, without a console error (a CSP violation among them) or sideways scrolling.
 */

const { open } = useSignedInBrowser({ versions: { demo: "0.38.27" } });

const fits = (page: Page, width: number) => expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
const row = (page: Page, name: string) => page.locator(`tr[data-network="${name}"]`);

describe("networks", () => {
  for (const width of [1280, 390] as const) {
    it(`${width} px: creates a network, lists it, destroys it once its name is typed again`, async () => {
      const name = `net-${width}`;
      const { page, problems } = await open("/hosts/demo", width);
      await page.getByRole("navigation", { name: "Host" }).getByRole("link", { name: "Networks" }).click();
      await expect.poll(() => row(page, "bridge").textContent()).toContain("docker's own");
      await fits(page, width);

      await page.getByLabel("New network").fill(name);
      await page.getByRole("button", { name: "Create network" }).click();
      await expect.poll(() => page.locator("#network-result").textContent(), { timeout: 30_000 }).toContain(`Network ${name} created`);
      // the list read itself again (stale-network-list): the new network, made by Dokku
      await expect.poll(() => row(page, name).textContent(), { timeout: 30_000 }).toContain("Dokku");
      await fits(page, width);
      await screenshot(page, `networks-${width}`);

      await row(page, name).getByText("Destroy", { exact: true }).click();
      await row(page, name).getByLabel(`Type ${name} to confirm`).fill(name);
      await row(page, name)
        .getByRole("button", { name: `Destroy ${name}` })
        .click();
      await expect.poll(() => page.locator("#network-result").textContent(), { timeout: 30_000 }).toContain(`Network ${name} destroyed`);
      await expect.poll(() => row(page, name).count(), { timeout: 30_000 }).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
