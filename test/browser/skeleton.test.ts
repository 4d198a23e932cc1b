import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logIn, screenshot, watchConsole } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

const signedIn = useSignedInBrowser();
const { stack, open } = signedIn;

describe("in a real browser", () => {
  it("logs in, lists the apps, starts a stopped one with an htmx button and shows the result in place", async () => {
    // a browser of its own, signed in here: the sign-in is what this test is about
    const page = await signedIn.browser.newPage();
    const problems = watchConsole(page);
    await logIn(page, stack.url);
    await expect.poll(() => page.locator("table.apps tbody tr").count()).toBe(4);
    await expect(page.getByText("demo host (simulated Dokku)").isVisible()).resolves.toBe(true);
    await screenshot(page, "apps");

    const row = page.locator('tr[data-app="queue-worker"]');
    expect(await row.locator(".badge").textContent()).toBe("stopped");
    const url = page.url();
    // A stopped app offers Start, not Restart.
    expect(await row.getByRole("button", { name: "Restart" }).count()).toBe(0);
    stack.relays.demo!.sim.faults({ "ps:start": { delayMs: 2000 } });
    await row.getByRole("button", { name: "Start" }).click();
    // While it runs, the row says so beside its button.
    await expect.poll(() => row.locator(".htmx-indicator").isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => row.locator(".result").textContent(), { timeout: 30_000 }).toContain("Started queue-worker");
    stack.relays.demo!.sim.faults({});
    // The deploy output streamed into the page as text, line by line.
    expect(await row.locator("pre.live").textContent()).toContain("-----> Deploying worker (count=1)");
    // The row now shows the state the start made: running, with Restart offered.
    await expect.poll(() => row.getByRole("button", { name: "Restart" }).isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(page.url()).toBe(url); // swapped in place, no navigation
    await screenshot(page, "restarted");

    await page.reload();
    expect(await page.locator('tr[data-app="queue-worker"] .badge').textContent()).toBe("running");
    expect(problems).toEqual([]);
  });

  it("refuses a wrong password and stays on the login page", async () => {
    const page = await signedIn.browser.newPage();
    await page.goto(`${stack.url}/login`);
    await page.getByLabel("Password", { exact: true }).fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("do not match");
    expect(page.url()).toMatch(/\/login$/);
  });

  it("renders an app with a hostile legacy name as inert text, without offering actions on it", async () => {
    // Dokku before 0.38.2 accepted names like this one (only '/', ':', '_' and capitals were refused).
    const evil = 'x"onfocus="alert(1)"autofocus="<b>bold';
    const file = join(stack.relays.demo!.sim.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8")) as { apps: Record<string, unknown> };
    state.apps[evil] = { createdAt: 1, deployed: true, running: true, scale: { web: 1 }, config: {}, domains: ["evil.example.com"] };
    writeFileSync(file, JSON.stringify(state));

    const { page, problems, dialogs } = await open("/hosts/demo");
    // A change drops the hub's cached app list, so the page reads the new state.
    const res = await page.request.post(`${stack.url}/hosts/demo/apps/api/restart`, { headers: { origin: stack.url } });
    expect(res.status()).toBe(200);
    await page.reload();
    // (Found by its name: the hub may still show its domains list from before the state was edited
    // behind Dokku's back, since a restart leaves domains as they were.)
    const row = page.locator("table.apps tbody tr").filter({ hasText: evil });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator("th").textContent()).toBe(evil);
    expect(await row.locator("b").count()).toBe(0);
    expect(await row.getByRole("button", { name: "Restart" }).count()).toBe(0);
    expect(await row.textContent()).toContain("CLI only");
    await page.keyboard.press("Tab");
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await screenshot(page, "legacy-app-name");
  });
});
