import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logIn, screenshot, watchConsole } from "../support/browser.js";
import { startStack, type TestStack } from "../support/stack.js";

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("in a real browser", () => {
  it("logs in, lists the apps, restarts one with an htmx button and shows the result in place", async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await logIn(page, stack.url);
    await expect.poll(() => page.locator("table.apps tbody tr").count()).toBe(4);
    await expect(page.getByText("demo host (simulated Dokku)").isVisible()).resolves.toBe(true);
    await screenshot(page, "apps");

    const row = page.locator('tr[data-app="queue-worker"]');
    expect(await row.locator(".badge").textContent()).toBe("stopped");
    const url = page.url();
    await row.getByRole("button", { name: "Restart" }).click();
    await expect.poll(() => row.locator(".result").textContent(), { timeout: 30_000 }).toContain("Restarted queue-worker");
    // The deploy output streamed into the page as text, line by line.
    expect(await row.locator("pre.live").textContent()).toContain("-----> Deploying worker (count=1)");
    await expect(row.getByRole("button", { name: "Restart" }).isEnabled()).resolves.toBe(true);
    expect(page.url()).toBe(url); // swapped in place, no navigation
    await screenshot(page, "restarted");

    await page.reload();
    expect(await page.locator('tr[data-app="queue-worker"] .badge').textContent()).toBe("running");
    expect(problems).toEqual([]);
  });

  it("refuses a wrong password and stays on the login page", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/login`);
    await page.getByLabel("Admin password").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("not right");
    expect(page.url()).toMatch(/\/login$/);
  });
});
