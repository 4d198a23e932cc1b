import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Cron tasks and the host-wide settings (issue #23) in a real browser, on a host running Dokku
 * 0.38 (suspend and resume arrived in 0.37): each section at 1280 px and 390 px, without a console
 * error (a CSP violation among them) and without sideways scrolling on a phone.
 */

const browser = useSignedInBrowser({ versions: { demo: "0.38.27" } });
const { stack, open } = browser;

const WIDTHS = [1280, 390] as const;

const fits = (page: Page, width: number) => expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

/** The text of a change's answer in `target` once it ended. */
const ended = (page: Page, target: string) =>
  page
    .locator(`${target} .live-end, ${target} .outcome`)
    .allTextContents()
    .then((t) => t.join(" "));

/** The secret typed in (`mark`) is neither in the page nor in the host's history; the page still fits and raised no error. Closes it. */
async function closeClean(page: Page, width: number, problems: string[], mark: string): Promise<void> {
  expect(await page.content()).not.toContain(mark);
  const history = await browser.context.request.get(`${stack.url}/hosts/demo/history`);
  expect(await history.text()).not.toContain(mark);
  await fits(page, width);
  expect(problems).toEqual([]);
  await page.close();
}

/** Mark the cron list, to tell when a change's stale event made it read itself again (a new element). */
const markList = (page: Page, id = "cron-list") => page.evaluate((id) => document.getElementById(id)!.setAttribute("data-old", ""), id);
const listReloaded = (page: Page, id = "cron-list") => expect.poll(() => page.locator(`#${id}[data-old]`).count(), { timeout: 30_000 }).toBe(0);

describe("cron", () => {
  for (const width of WIDTHS) {
    it(`${width} px: lists the app's tasks, runs one now (its output shown), suspends and resumes it`, async () => {
      const { page, problems } = await open("/hosts/demo/apps/api/cron", width);
      const daily = page.locator("li[data-cron]").filter({ hasText: "clearsessions" });
      await expect.poll(() => daily.textContent()).toContain("every day at midnight (host time)");
      // its next run: midnight in the host's zone (the relay's: UTC on a machine left as it came), and how far ahead
      expect(await daily.locator(".next-run").textContent()).toMatch(/^next run \d{4}-\d\d-\d\d 00:00:00 [A-Za-z_/+-]+ \(in \d+ (s|min|h)\)$/);
      await fits(page, width);

      await markList(page);
      await daily.getByRole("button", { name: "Run now" }).click();
      await expect.poll(() => ended(page, "#cron-result"), { timeout: 30_000 }).toContain("ran");
      expect(await page.locator("#cron-result").textContent()).toContain("running python manage.py clearsessions");
      await listReloaded(page);

      await markList(page);
      await daily.getByRole("button", { name: "Suspend" }).click();
      await expect.poll(() => ended(page, "#cron-result"), { timeout: 30_000 }).toContain("suspended");
      await listReloaded(page);
      // the list reads itself again (stale-cron-list) and shows what the change made
      await expect.poll(() => page.locator("li[data-cron]").filter({ hasText: "clearsessions" }).textContent(), { timeout: 30_000 }).toContain("suspended");
      await screenshot(page, `cron-suspended-${width}`);
      await page.locator("li[data-cron]").filter({ hasText: "clearsessions" }).getByRole("button", { name: "Resume" }).click();
      await expect
        .poll(() => page.locator("li[data-cron]").filter({ hasText: "clearsessions" }).getByRole("button", { name: "Suspend" }).count(), { timeout: 30_000 })
        .toBe(1);
      await fits(page, width);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});

describe("the host's cron page", () => {
  for (const width of WIDTHS) {
    it(`${width} px: reached from the host nav, every app's tasks and the host-wide ones with their next runs; run, suspend and resume from it`, async () => {
      const { page, problems } = await open("/hosts/demo", width);
      await page.getByRole("navigation", { name: "Host" }).getByRole("link", { name: "Cron" }).click();
      await expect.poll(() => page.getByRole("heading", { name: "Cron on demo" }).isVisible()).toBe(true);
      expect(await page.getByRole("navigation", { name: "Host" }).getByRole("link", { name: "Cron" }).getAttribute("aria-current")).toBe("page");
      const row = (text: string) => page.locator("#host-cron-list tr[data-cron]").filter({ hasText: text });
      // dokku-letsencrypt's auto-renew (cron:list --global): no app, so nothing to run or suspend
      await expect.poll(() => row("letsencrypt:auto-renew").textContent(), { timeout: 30_000 }).toMatch(/host-wide.*next run \d{4}-\d\d-\d\d 06:24:00/);
      expect(await row("letsencrypt:auto-renew").getByRole("button").count()).toBe(0);
      expect(await row("clearsessions").locator("th").textContent()).toBe("api");
      expect(await row("clearsessions").locator(".next-run").textContent()).toMatch(/^next run \d{4}-\d\d-\d\d 00:00:00 [A-Za-z_/+-]+ \(in \d+ (s|min|h)\)$/);
      // robfig's @every passes Dokku's check; croner cannot read it, and the page says so
      expect(await row("requeue-stale").textContent()).toContain("next run not computed: croner cannot read this schedule");
      await fits(page, width);

      await row("clearsessions").getByRole("button", { name: "Run now" }).click();
      await expect.poll(() => ended(page, "#cron-result"), { timeout: 30_000 }).toContain("ran");
      expect(await page.locator("#cron-result").textContent()).toContain("running python manage.py clearsessions");

      await row("clearsessions").getByRole("button", { name: "Suspend" }).click();
      // the list reads itself again (stale-cron-host) and shows what the change made
      await expect.poll(() => row("clearsessions").textContent(), { timeout: 30_000 }).toContain("next run: none while suspended");
      await screenshot(page, `host-cron-suspended-${width}`);
      await row("clearsessions").getByRole("button", { name: "Resume" }).click();
      await expect.poll(() => row("clearsessions").locator(".next-run").textContent(), { timeout: 30_000 }).toMatch(/^next run /);
      expect(await row("clearsessions").getByRole("button", { name: "Suspend" }).count()).toBe(1);
      await fits(page, width);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});

describe("a change started from inside a part of the page that reloads", () => {
  it("keeps its live answer and its stale events when another change makes that part stale before it ends", async () => {
    const sim = stack.relays.demo!.sim;
    // cron:run waits at a gate the test opens: the list is made stale while the run is still going (a state, not a time)
    sim.faults({ "cron:run": { gate: "open-cron-run" } });
    try {
      const { page, problems } = await open("/hosts/demo/cron", 1280);
      const row = (text: string) => page.locator("#host-cron-list tr[data-cron]").filter({ hasText: text });
      await expect.poll(() => row("clearsessions").count(), { timeout: 30_000 }).toBe(1);
      await row("clearsessions").getByRole("button", { name: "Run now" }).click();
      // the run started: its pane links to the change's own page
      await expect.poll(() => page.locator("#cron-result a[href*='/ops/']").count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // another change (another tab, another user) makes the list stale mid-run: its read comes back
      // and is held (public/hold-reloads.js) rather than swapping out the form whose run still streams
      await markList(page, "host-cron-list");
      await page.evaluate(() => document.body.dispatchEvent(new Event("stale-cron-host")));
      await expect.poll(() => page.locator("#host-cron-list[data-reload-held], #host-cron-list:not([data-old])").count(), { timeout: 30_000 }).toBe(1);
      writeFileSync(join(sim.dir, "open-cron-run"), "");
      // the run's answer still reaches its pane, and the list reads itself again once it ended
      await expect.poll(() => ended(page, "#cron-result"), { timeout: 30_000 }).toContain("ran");
      await listReloaded(page, "host-cron-list");
      expect(await page.locator("#host-cron-list[data-reload-held]").count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      writeFileSync(join(sim.dir, "open-cron-run"), "");
      sim.faults({});
    }
  });
});

describe("deploy from an image", () => {
  const MARK = "pw-MARKER-b5e1d2";
  for (const width of WIDTHS) {
    it(`${width} px: logs in to a private registry (the password never shown again), then deploys an image from it, streamed`, async () => {
      const app = width === 1280 ? "staging" : "blog.v2";
      const { page, problems } = await open(`/hosts/demo/apps/${app}/deploy`, width);
      await expect.poll(() => page.getByRole("heading", { name: "Deploy from an image" }).isVisible()).toBe(true);
      await fits(page, width);
      await page.getByText("Registry login (a private image)").click();
      await page.getByLabel("Registry").fill("private.example.com");
      await page.getByLabel("User", { exact: true }).fill("acme");
      await page.getByLabel("Password or token").fill(MARK);
      if (width === 390) await page.getByLabel("for every app on the host (host-wide)").check();
      await page.getByRole("button", { name: "Log in" }).click();
      await expect
        .poll(() => page.locator("#image-result .outcome").textContent(), { timeout: 30_000 })
        .toContain(width === 390 ? "The host is logged in to private.example.com" : `${app} is logged in to private.example.com`);

      await page.locator("#image-ref").fill("private.example.com/acme/api:2.0");
      await page.getByRole("button", { name: "Deploy image" }).click();
      await expect.poll(() => ended(page, "#image-result"), { timeout: 60_000 }).toContain(`Deployed ${app} from private.example.com/acme/api:2.0`);
      expect(await page.locator("#image-result").textContent()).toContain("Building");
      // the deploy state reads itself again: where the code came from now
      await expect.poll(() => page.locator("#deploy-state").textContent(), { timeout: 30_000 }).toContain("docker-image: private.example.com/acme/api:2.0");
      await screenshot(page, `image-deploy-${width}`);
      await closeClean(page, width, problems, MARK);
    });
  }
});

describe("host-wide settings", () => {
  const MARK = "global-MARKER-9d41f0";
  for (const width of WIDTHS) {
    it(`${width} px: global domain, config (its value never shown), deploy branch, cleanup streamed, a plugin updated by name`, async () => {
      const { page, problems } = await open("/hosts/demo/host", width);
      await expect.poll(() => page.getByRole("heading", { name: "Host-wide settings" }).isVisible()).toBe(true);
      await fits(page, width);
      const domain = `w${width}.example.com`;
      await page.locator("#global-domain").fill(domain);
      await page.getByRole("button", { name: "Add domain" }).click();
      await expect.poll(() => page.locator("[data-global-domains]").textContent(), { timeout: 30_000 }).toContain(domain);

      const key = `KEY_${width}`;
      await page.locator("#global-key").fill(key);
      await page.locator("#global-value").fill(MARK);
      await page.getByRole("button", { name: "Set for every app" }).click();
      await expect.poll(() => page.locator("[data-global-config]").textContent(), { timeout: 30_000 }).toContain(key);

      await page.locator("#global-branch").fill(`release-${width}`);
      await page.getByRole("button", { name: "Set branch" }).click();
      await expect.poll(() => page.locator("[data-global-branch]").textContent(), { timeout: 30_000 }).toContain(`deploy release-${width}`);

      await page.getByRole("button", { name: "Clean up" }).click();
      await expect.poll(() => ended(page, `#host-settings-result`), { timeout: 30_000 }).toContain("Host cleaned up");
      expect(await page.locator("#host-settings-result").textContent()).toContain("Total reclaimed space");

      await page.locator("#plugin-name").selectOption("postgres");
      await page.locator("#plugin-confirm").fill("postgres");
      await page.getByRole("button", { name: "Update plugin" }).click();
      await expect.poll(() => ended(page, `#host-settings-result`), { timeout: 30_000 }).toContain("Plugin postgres updated");
      await screenshot(page, `host-settings-${width}`);

      await closeClean(page, width, problems, MARK);
    });
  }
});

describe("the deploy lock", () => {
  for (const width of WIDTHS) {
    it(`${width} px: Lock deploys holds the lock (apps:lock), Unlock frees it; the state follows each`, async () => {
      const app = width === 1280 ? "api" : "queue-worker";
      const { page, problems } = await open(`/hosts/demo/apps/${app}/deploy`, width);
      const state = page.locator("#deploy-state");
      if ((await state.textContent())?.includes("held")) {
        await page.getByRole("button", { name: "Unlock" }).click();
        await expect.poll(() => state.textContent(), { timeout: 30_000 }).toContain("free");
      }
      await page.getByRole("button", { name: "Lock deploys" }).click();
      await expect.poll(() => page.locator("#deploy-state dd").nth(1).textContent(), { timeout: 30_000 }).toBe("held");
      await screenshot(page, `deploy-lock-${width}`);
      await page.getByRole("button", { name: "Unlock" }).click();
      await expect.poll(() => page.locator("#deploy-state dd").nth(1).textContent(), { timeout: 30_000 }).toBe("free");
      await fits(page, width);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
