import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { makeSim, type Sim } from "../support/sim.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * The states a real Dokku host can be in, read and shown for what they are (issue #12, items 1-3
 * and 10): a disabled plugin, an expired certificate, an app scaled to 0, a relay that has never
 * connected. The simulated host is put in each state by editing its state file.
 */
let late: Sim | null = null;
// Registered before the fixture: after hooks run in reverse, so this runs once the stack (and the late relay with it) stopped.
afterAll(() => late?.cleanup());
const { stack, open } = useSignedInBrowser({ hosts: ["demo", "late"], connect: ["demo"] }, { context: { viewport: { width: 1200, height: 900 } } });

/** A served page's own 503 (the waiting page answers so): what Chromium logs for it is expected. */
const WAITING_503 = "Failed to load resource: the server responded with a status of 503 (Service Unavailable)";

function editState(change: (state: any) => void): void {
  const file = join(stack.relays.demo!.sim.dir, "state.json");
  const state = JSON.parse(readFileSync(file, "utf8"));
  change(state);
  writeFileSync(file, JSON.stringify(state));
}

describe("a host's states in a real browser", () => {
  it("1. a disabled plugin is 'installed but disabled' with the command that enables it, on the TLS tab and the databases page", async () => {
    const { page, problems } = await open("/");
    editState((s) => {
      s.plugins.letsencrypt.enabled = false;
      s.plugins.redis.enabled = false;
    });
    try {
      await page.goto(`${stack.url}/hosts/demo/apps/api/tls`);
      const notice = page.locator("#tls-status .plugin-notice");
      expect(await notice.locator("strong").textContent()).toBe("The letsencrypt plugin is installed but disabled on this host.");
      expect(await notice.locator("code.remedy").textContent()).toBe("sudo dokku plugin:enable letsencrypt");
      expect(await page.getByText("not installed").count()).toBe(0);
      expect(await page.locator('form[hx-post$="/tls/enable"]').count()).toBe(0);
      await screenshot(page, "tls-plugin-disabled");

      await page.goto(`${stack.url}/hosts/demo/databases`);
      const redis = page.locator('section[data-plugin="redis"]');
      expect(await redis.locator("h2 .badge").textContent()).toBe("installed but disabled");
      expect(await redis.locator("code.remedy").textContent()).toBe("sudo dokku plugin:enable redis");
      expect(await redis.getByText("No redis databases yet").count()).toBe(0);
      expect(await page.locator('section[data-plugin="postgres"] li[data-service="main-db"]').count()).toBe(1);
    } finally {
      editState((s) => {
        s.plugins.letsencrypt.enabled = true;
        s.plugins.redis.enabled = true;
      });
    }
    expect(problems).toEqual([]);
  });

  it("2. an expired certificate is red 'expired N days ago' on its one expiry line, its renewal overdue, and unverified", async () => {
    const { page, problems } = await open("/");
    const now = Math.floor(Date.now() / 1000);
    editState((s) => {
      s.letsencrypt["blog.v2"] = { active: true, email: "ops@example.com", expiresAt: now - 1196 * 86_400 - 3600 };
    });
    await page.goto(`${stack.url}/hosts/demo/apps/blog.v2/tls`);
    const badge = page.locator("#tls-status .le-state .badge");
    expect(await badge.textContent()).toBe("certificate expired");
    expect(await badge.getAttribute("class")).toBe("badge down");
    expect(await page.locator("#tls-status .renewal").textContent()).toMatch(/^overdue since 1226d, 1h(, \d+s)? ago$/);
    expect(await page.locator("#tls-status .expiry").textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC expired 1196 days ago$/);
    expect(await page.locator("#tls-status .expiry .badge").getAttribute("class")).toBe("badge down");
    // one expiry, said once
    expect(await page.locator("#tls-status dt").allTextContents()).toEqual([
      "Let's Encrypt",
      "E-mail",
      "Certificate",
      "Verification",
      "Certificate expires",
      "Renewal",
      "Hostnames",
    ]);
    expect((await page.locator("#tls-status").textContent())!.match(/1196 days/g)).toHaveLength(1);
    expect(await page.locator("#tls-status .cert-verdict").textContent()).toContain("unverified (self signed)");
    expect(await page.locator("#tls-status").textContent()).not.toMatch(/\bactive\b|ago left|in \d+d/);
    await screenshot(page, "tls-expired");
    expect(problems).toEqual([]);
  });

  it("3. an app scaled to 0 says so and points to Scale, with no Start; Restart is offered only where it does something", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api");
    for (const input of await page.locator("form.scale input[type=number]").all()) await input.fill("0");
    await page.getByRole("button", { name: "Apply scale" }).click();
    await expect.poll(() => page.locator("#app-summary .badge").textContent(), { timeout: 60_000 }).toBe("scaled to 0");
    await page.reload();
    expect(await page.locator("#app-summary .badge").textContent()).toBe("scaled to 0");
    expect(await page.locator("#app-actions-buttons .state-note").textContent()).toContain("Scaled to 0");
    expect(await page.locator("#app-actions-buttons").getByRole("link", { name: "Scale" }).getAttribute("href")).toBe("#scale-h");
    for (const name of ["Start", "Stop", "Restart"]) expect(await page.locator("#app-actions-buttons").getByRole("button", { name }).count(), name).toBe(0);
    await screenshot(page, "app-scaled-to-zero");

    await page.goto(`${stack.url}/hosts/demo`);
    const row = (app: string) => page.locator(`tr[data-app="${app}"]`);
    expect(await row("api").locator(".badge").textContent()).toBe("scaled to 0");
    expect(await row("api").getByRole("button", { name: "Restart" }).count()).toBe(0);
    expect(await row("api").getByRole("link", { name: "Scale" }).count()).toBe(1);
    expect(await row("staging").locator(".badge").textContent()).toBe("not deployed");
    expect(await row("staging").getByRole("button", { name: "Restart" }).count()).toBe(0);
    expect(await row("staging").getByRole("link", { name: "Deploy" }).getAttribute("href")).toBe("/hosts/demo/apps/staging/deploy");
    expect(await row("blog.v2").getByRole("button", { name: "Restart" }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it("10. a host whose relay never connected says it is waiting for it, not 'offline', and shows itself once it connects", async () => {
    const { page, problems } = await open("/hosts/late");
    expect(await page.locator(".waiting").textContent()).toContain("Waiting for the host's relay to connect");
    const body = (await page.locator("main").textContent()) ?? "";
    expect(body).not.toContain("offline");
    expect(body).not.toContain("last seen never");
    await screenshot(page, "waiting-for-relay");

    late = makeSim();
    stack.startRelay("late", { sim: late, db: join(stack.dir, "late.db") });
    // no reload by the test: the page's own poll brings the dashboard
    await expect.poll(() => page.locator("h2#apps-h").count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator(".link-state .badge").first().textContent()).toBe("connected");
    expect(problems.filter((p) => p !== WAITING_503)).toEqual([]);
  });
});
