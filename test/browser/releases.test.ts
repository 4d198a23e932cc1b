import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Releases in a real browser: the Releases tab (the live one marked, what each changed), a
 * release's page, the rollback's preview, and the rollback's own page followed to its end.
 */
const signedIn = useSignedInBrowser();
const { stack, open } = signedIn;

const base = "/hosts/demo/apps/api";
const REPO = "https://github.com/dokku/smoke-test-app.git";

/** A change through its form, as htmx posts it from the signed-in context, waited for to its end. */
async function post(path: string, form: Record<string, string>) {
  const res = await signedIn.context.request.post(`${stack.url}${path}`, { headers: { "hx-request": "true", origin: stack.url }, form, timeout: 120_000 });
  expect(res.status(), await res.text()).toBe(200);
}

describe("releases in a real browser", () => {
  it("lists releases, previews a rollback and follows it on its own page to its end", async () => {
    await post(`${base}/deploy/sync`, { remote: REPO, ref: "1111111111111111111111111111111111111111" });
    await post(`${base}/config/set`, { key: "FEATURE_FLAG", value: "on", no_restart: "on" });
    await post(`${base}/deploy/sync`, { remote: REPO, ref: "2222222222222222222222222222222222222222" });

    const { page, problems } = await open(base);
    await page.getByRole("navigation", { name: "App sections" }).getByRole("link", { name: "Releases", exact: true }).click();
    await page.waitForURL(/\/apps\/api\/releases$/);
    expect(await page.locator("tr[data-release]").count()).toBe(2);
    expect(await page.locator('tr[data-release="2"]').textContent()).toContain("live");
    expect(await page.locator('tr[data-release="2"]').textContent()).toContain("added FEATURE_FLAG");
    await screenshot(page, "releases-tab");

    await page.getByRole("link", { name: "#1", exact: true }).click();
    await page.waitForURL(/\/releases\/1$/);
    await page.getByRole("link", { name: "Roll back to release #1…" }).click();
    await page.waitForURL(/\/releases\/1\/rollback$/);
    const preview = await page.locator(".rollback-preview").textContent();
    expect(preview).toContain("removed FEATURE_FLAG");
    expect(preview).toContain("fetch commit 1111111");
    await screenshot(page, "rollback-preview");

    await page.getByRole("button", { name: "Roll back to release #1" }).click();
    await page.getByRole("link", { name: "Follow this change on its own page" }).click();
    await page.waitForURL(/\/ops\/[0-9a-f-]+$/);
    await expect.poll(() => page.locator("#op-live .live-end").textContent(), { timeout: 120_000 }).toContain("Finished");
    expect(await page.locator("#op-live pre.live").textContent()).toContain("Releasing api");
    await screenshot(page, "rollback-op");

    await page.goto(`${stack.url}${base}/releases`);
    expect(await page.locator("tr[data-release]").count()).toBe(3);
    // the host's own list has it too
    await page.getByRole("navigation", { name: "Host" }).getByRole("link", { name: "Releases", exact: true }).click();
    await page.waitForURL(/\/hosts\/demo\/releases$/);
    expect(await page.locator("main").textContent()).toContain("Roll back api to release 1");
    await page.goto(`${stack.url}${base}/releases`);
    expect(await page.locator('tr[data-release="3"]').textContent()).toContain("Roll back api to release 1");
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
