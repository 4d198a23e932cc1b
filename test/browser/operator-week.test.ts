import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changeEnds, fitsWidth, screenshot } from "../support/browser.js";
import { keyLines, TEST_CERT, TEST_KEY } from "../support/tls-fixture.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * The operator's week (issue #23) in a real browser: each section at 1280 px and 390 px, without a
 * console error (a CSP violation among them) and without sideways scrolling on a phone.
 */

const { stack, open } = useSignedInBrowser(
  {},
  {
    // an app of a name Dokku once allowed and no longer does, before any page reads (and caches) the list
    prepare: async (stack) => {
      const file = join(stack.relays.demo!.sim.dir, "state.json");
      await stack.relays.demo!.sim.dokku("apps:list");
      const state = JSON.parse(readFileSync(file, "utf8"));
      state.apps["Legacy_App"] = { ...state.apps.staging };
      writeFileSync(file, JSON.stringify(state));
    },
  },
);

const WIDTHS = [1280, 390] as const;

describe("certificates beyond Let's Encrypt", () => {
  for (const width of WIDTHS) {
    it(`${width} px: installs a certificate pasted, then as files, replaces and removes it; the key is never shown`, async () => {
      const app = width === 1280 ? "staging" : "blog.v2";
      const { page, problems } = await open(`/hosts/demo/apps/${app}/tls`, width);
      await expect.poll(() => page.getByRole("heading", { name: "Your own certificate" }).isVisible()).toBe(true);
      await fitsWidth(page, width);
      await page.getByLabel("Certificate (PEM)").fill(TEST_CERT);
      await page.getByLabel("Private key (PEM)").fill(TEST_KEY);
      await changeEnds(page, "Install certificate", "#certs-result", `Certificate installed on ${app}`);
      // the status follows what the change made
      await expect.poll(() => page.locator("#tls-status dd.cert").textContent()).toContain("installed, issued by CN = api.demo.dokku.me");
      await screenshot(page, `tls-certificate-${width}`);

      // replace, from files this time
      await page.locator("#cert-file").setInputFiles({ name: "server.crt", mimeType: "application/x-x509-ca-cert", buffer: Buffer.from(TEST_CERT) });
      await page.locator("#key-file").setInputFiles({ name: "server.key", mimeType: "application/octet-stream", buffer: Buffer.from(TEST_KEY) });
      await changeEnds(page, "Install certificate", "#certs-result", `Certificate installed on ${app}`);
      if (app === "blog.v2") expect(await page.locator("#certs-result").textContent()).toContain("Creating https nginx.conf");

      const html = await page.content();
      for (const line of keyLines(TEST_KEY)) expect(html).not.toContain(line);

      await changeEnds(page, "Remove certificate", "#certs-result", `Certificate removed from ${app}`);
      await expect.poll(() => page.locator("#tls-status dd.cert").textContent()).toBe("none (HTTP only)");
      await fitsWidth(page, width);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("says a bad key plainly, and a wildcard domain's need for DNS-01 before enabling", async () => {
    await stack.relays.demo!.sim.dokku("domains:add", "api", "*.wild.example.com");
    const { page, problems } = await open("/hosts/demo/apps/api/tls", 390);
    await expect
      .poll(() => page.locator("#wildcard-notice").textContent())
      .toContain("*.wild.example.com is a wildcard domain: Let's Encrypt needs DNS-01 for it.");
    await page.getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => page.locator("#enable-result").textContent()).toContain("a wildcard needs DNS-01");
    await page.getByLabel("Certificate (PEM)").fill(TEST_CERT);
    await page.getByLabel("Private key (PEM)").fill("not a key at all");
    await page.getByRole("button", { name: "Install certificate" }).click();
    await expect.poll(() => page.locator("#certs-result").textContent()).toContain("the private key must be PEM");
    await screenshot(page, "tls-wildcard-390");
    await fitsWidth(page, 390);
    // Chromium logs each 400 the edge answered on purpose; nothing else
    expect(problems.filter((p) => !p.includes("status of 400"))).toEqual([]);
  });
});

describe("rename and clone", () => {
  it("renames an app whose legacy name is CLI only from the apps list (390 px), then clones and renames from the overview (1280 px)", async () => {
    const file = join(stack.relays.demo!.sim.dir, "state.json");
    const phone = await open("/hosts/demo", 390);
    const row = phone.page.locator('tr[data-app="Legacy_App"]');
    await expect.poll(() => row.textContent()).toContain("CLI only");
    await row.getByLabel("New name for Legacy_App").fill("legacy-app");
    await row.getByRole("button", { name: "Rename" }).click();
    // The rename's answer lands in the row, and the change also makes the apps list stale: the table
    // reloads, and the row becomes legacy-app's (which of the two a reader sees first is a race the
    // page may win either way). What must hold is the state the change made.
    await expect.poll(() => phone.page.locator('tr[data-app="legacy-app"]').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => phone.page.locator('tr[data-app="Legacy_App"]').count()).toBe(0);
    await fitsWidth(phone.page, 390);
    await screenshot(phone.page, "apps-legacy-rename-390");
    expect(phone.problems).toEqual([]);

    const { page, problems } = await open("/hosts/demo/apps/legacy-app", 1280);
    await page.getByLabel("Clone as").fill("legacy-copy");
    await changeEnds(page, "Clone", "#rename-result", "Cloned legacy-app to legacy-copy");
    await page.getByLabel("New name").fill("legacy-two");
    await page.getByRole("button", { name: "Rename" }).click();
    // Renaming the app this page is about makes the whole page stale (the change declares "host"),
    // and its reload can take the answer away before it is read: checked by the state it made.
    await expect.poll(() => Object.keys(JSON.parse(readFileSync(file, "utf8")).apps), { timeout: 30_000 }).toContain("legacy-two");
    await screenshot(page, "app-rename-1280");
    const renamed = await open("/hosts/demo/apps/legacy-two", 1280);
    expect(await renamed.page.locator("h1.app-name").textContent()).toBe("legacy-two");
    await renamed.page.close();
    const apps = JSON.parse(readFileSync(file, "utf8")).apps;
    expect(Object.keys(apps)).toEqual(expect.arrayContaining(["legacy-two", "legacy-copy"]));
    expect(Object.keys(apps)).not.toContain("Legacy_App");
    expect(problems).toEqual([]);
  });
});
