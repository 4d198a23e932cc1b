import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { historyOf } from "../support/history.js";
import { changeEnds, fitsWidth, screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * A database's operator week (issue #23, item 5) in a real browser: each section at 1280 px and
 * 390 px, without a console error (a CSP violation among them) and without sideways scrolling.
 */

const { stack, open } = useSignedInBrowser();

const WIDTHS = [1280, 390] as const;

describe("database backups", () => {
  for (const width of WIDTHS) {
    it(`${width} px: stores credentials (never shown again), backs up now, schedules and unschedules; the schedule follows each change`, async () => {
      const [plugin, service] = width === 1280 ? ["postgres", "main-db"] : ["redis", "cache"];
      const mark = randomBytes(6).toString("hex");
      const { page, problems } = await open(`/hosts/demo/databases/${plugin}/${service}`, width);
      await expect.poll(() => page.getByRole("heading", { name: "Backups to S3" }).isVisible()).toBe(true);
      await expect.poll(() => page.locator("#db-backups [data-schedule]").getAttribute("data-schedule")).toBe("none");
      await fitsWidth(page, width);

      await page.locator("summary", { hasText: "Credentials" }).click();
      await page.getByLabel("Access key id").fill(`AKIA${mark.toUpperCase()}`);
      await page.getByLabel("Secret access key").fill(`sk/${mark}+x`);
      await changeEnds(page, "Store credentials", "#backup-auth-result", `Stored backup credentials for ${service}`);
      // the forms read themselves again, empty: the stored credentials stay in no field
      await expect.poll(() => page.getByLabel("Access key id").inputValue()).toBe("");
      expect(await page.getByLabel("Secret access key").inputValue()).toBe("");

      await page.getByLabel("Bucket (and optional /prefix)").first().fill("my-backups");
      await changeEnds(page, "Back up now", "#backup-run-result", `Backed up ${service} to my-backups`);
      expect(await page.locator("#backup-run-result").textContent()).toContain(`The backup for ${plugin}-${service} finished successfully.`);

      await page.getByLabel("Cron schedule (e.g. 0 3 * * * for 03:00 daily)").fill("0 3 * * *");
      await page.locator("#backup-schedule-bucket").fill("my-backups/nightly");
      await changeEnds(page, "Schedule", "#backup-schedule-result", `Scheduled backups of ${service}`);
      // the section reads itself again: the schedule the change made
      await expect.poll(() => page.locator("#db-backups [data-schedule]").getAttribute("data-schedule")).toBe("0 3 * * *");
      await expect.poll(() => page.locator("#db-backups").textContent()).toContain("my-backups/nightly");
      await fitsWidth(page, width);
      await screenshot(page, `database-backups-${width}`);

      await changeEnds(page, "Unschedule", "#backup-unschedule-result", `Unscheduled backups of ${service}`);
      await expect.poll(() => page.locator("#db-backups [data-schedule]").getAttribute("data-schedule")).toBe("none");

      // the credentials went to the host and nowhere else
      const state = JSON.parse(readFileSync(join(stack.relays.demo!.sim.dir, "state.json"), "utf8"));
      expect(state.services[plugin][service].backup.authSha256).toMatch(/^[0-9a-f]{64}$/);
      const rows = JSON.stringify(historyOf(stack.relays.demo!.db));
      expect(rows).toContain("backup-auth");
      expect(rows).not.toContain(mark);
      expect(await page.content()).not.toContain(mark);
      await page.reload();
      expect(await page.content()).not.toContain(mark);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});

describe("exposing, unlinking and the list", () => {
  for (const width of WIDTHS) {
    it(`${width} px: exposes with the host port shown, unexposes; a created database is listed without a reload`, async () => {
      const [plugin, service, port] = width === 1280 ? ["postgres", "main-db", "127.0.0.1:15432"] : ["redis", "cache", "16379"];
      const { page, problems } = await open(`/hosts/demo/databases/${plugin}/${service}`, width);
      await expect.poll(() => page.locator("[data-exposed]").first().getAttribute("data-exposed")).toBe("none");
      await page.getByLabel("Host ports (optional; one per service port, e.g. 127.0.0.1:15432)").fill(port);
      await changeEnds(page, "Expose", "#expose-result", `Exposed ${service}`);
      // the body reads itself again: the host port the change made
      await expect.poll(() => page.locator("li[data-exposed]").getAttribute("data-exposed")).toBe(port);
      await fitsWidth(page, width);
      await screenshot(page, `database-exposed-${width}`);
      await changeEnds(page, "Unexpose", "#expose-result", `Unexposed ${service}`);
      await expect.poll(() => page.locator("[data-exposed]").first().getAttribute("data-exposed")).toBe("none");

      await page.goto(`${stack.url}/hosts/demo/databases`);
      const name = `made-${width}`;
      await page.getByLabel("Type", { exact: true }).selectOption(plugin);
      await page.getByLabel("Name", { exact: true }).fill(name);
      await changeEnds(page, "Create", "#create-result", `Created ${plugin} database ${name}`);
      await expect.poll(() => page.locator(`[data-plugin="${plugin}"] li[data-service="${name}"]`).count()).toBe(1);
      await fitsWidth(page, width);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("a link refused by a deploy lock points to the app's Deploy tab, where Unlock clears it; Unlink asks first", async () => {
    const { page, problems } = await open("/hosts/demo/databases/postgres/main-db", 390);
    await page.getByLabel("App to link").selectOption("queue-worker");
    await changeEnds(page, "Link", "#link-result", "Failed");
    expect(await page.locator("#link-result").textContent()).toContain("queue-worker currently has a deploy lock in place");
    await page.locator("#link-result").getByRole("link", { name: "unlock it on its Deploy tab" }).click();
    await page.waitForURL(/\/apps\/queue-worker\/deploy$/);
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect.poll(() => page.locator("#deploy-result").textContent(), { timeout: 30_000 }).toMatch(/nlock/);

    // Unlink asks before it runs; dismissed, nothing runs
    await page.goto(`${stack.url}/hosts/demo/databases/postgres/main-db`);
    await page.getByLabel("App to link").selectOption("api");
    await page.getByLabel("Don't restart the app").check();
    await changeEnds(page, "Link", "#link-result", "Linked main-db to api");
    await expect.poll(() => page.locator('li[data-linked="api"]').count()).toBe(1);
    const questions: string[] = [];
    page.removeAllListeners("dialog");
    page.on("dialog", (d) => void (questions.push(d.message()), d.dismiss()));
    await page.getByRole("button", { name: "Unlink api" }).click();
    await expect.poll(() => questions).toEqual([expect.stringContaining("Unlink main-db from api?")]);
    // dismissed: nothing ran, still linked
    expect(await page.locator('li[data-linked="api"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
