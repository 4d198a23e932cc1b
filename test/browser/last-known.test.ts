import { describe, expect, it } from "vitest";
import { logIn, screenshot, watchConsole } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Issue #24, the last known state: a host whose relay stops shows what it last reported, marked
 * "as of T, host offline", with nothing offered that would change it — after an edge restart too.
 */
const signedIn = useSignedInBrowser({}, { context: { viewport: { width: 1200, height: 900 } } });
const { stack } = signedIn;

describe("a host whose relay stops, in a real browser", () => {
  it("shows its last known apps, marked offline, with no change buttons, also after an edge restart", async () => {
    let { page } = await signedIn.open("/");
    expect(page.url()).toBe(`${stack.url}/hosts/demo`);
    const live = await page.locator("table.apps tbody tr").count();
    expect(live).toBeGreaterThan(1);
    expect(await page.locator('tr[data-app="api"] .badge').textContent()).toBe("running");
    expect(await page.getByRole("button", { name: "Restart" }).count()).toBeGreaterThan(0);

    // The page is closed first: its requests to an edge being restarted would fail, as they should.
    await page.close();
    await stack.relays.demo!.proc.stop();
    await stack.restartEdge();
    // the restarted edge forgot the session: this context signs in again
    page = await signedIn.context.newPage();
    const problems = watchConsole(page);
    await logIn(page, stack.url);
    await expect.poll(async () => (await page.reload(), await page.locator(".offline-note").count()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator(".link-state .badge").first().textContent()).toBe("offline");
    expect(await page.locator(".offline-note").first().textContent()).toMatch(/host offline\s*As of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // the same apps, in the state they were last read in
    expect(await page.locator("table.apps tbody tr").count()).toBe(live);
    expect(await page.locator('tr[data-app="api"] .badge').textContent()).toBe("running");
    // nothing that changes anything
    expect(await page.getByRole("button", { name: "Restart" }).count()).toBe(0);
    expect(await page.getByText("Create an app").count()).toBe(0);
    expect(await page.locator("main [hx-post]").count()).toBe(0);
    await screenshot(page, "last-known-offline");
    // A 503 for a read that has no last known answer (the running bar) is the page's own.
    expect(problems.filter((p) => !p.includes("503"))).toEqual([]);
  });
});
