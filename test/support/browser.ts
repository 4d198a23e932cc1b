import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { TEST_PASSWORD } from "./worker-secrets.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = resolve(import.meta.dirname, "../../test-output/screenshots");

/** Debian's Chromium, headless, with the flags this sandboxed, offline machine needs (playwright gives it a fresh profile). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Collects console errors (CSP violations among them) and failed page scripts. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

export async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/hosts\//);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Clicks the button named exactly `button`, whose change answers into the element `target` (a CSS
 * selector), and waits up to 30 s for the change's end there (`.live-end` or `.outcome`) to contain
 * `done`. `target` is emptied first, so the end of an earlier change cannot pass for this one.
 */
export async function changeEnds(page: Page, button: string, target: string, done: string): Promise<void> {
  await page.evaluate((t) => void (document.querySelector(t)!.innerHTML = ""), target);
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect
    .poll(
      () =>
        page
          .locator(`${target} .live-end, ${target} .outcome`)
          .allTextContents()
          .then((t) => t.join(" ")),
      { timeout: 30_000 },
    )
    .toContain(done);
}

/** Waits until the page no longer scrolls sideways: its document at most `width` px wide. */
export const fitsWidth = (page: Page, width: number) => expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
