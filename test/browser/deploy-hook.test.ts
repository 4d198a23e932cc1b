import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * The Deploy tab's "Push to deploy" section (issue #24) in a real browser: a hook is created, its
 * secret shown once, its URL and how to add it in GitHub, GitLab and Gitea/Forgejo; a delivery
 * signed here as GitHub signs it shows up in the list, with its reason, without a reload; at
 * 1280 px and 390 px, with no CSP error.
 */
const { stack, open } = useSignedInBrowser();

const DEPLOY_TAB = "/hosts/demo/apps/api/deploy";

/** A GitHub push delivery to `url`, signed with `secret` (X-Hub-Signature-256, HMAC-SHA256 of the body). */
async function githubPush(url: string, secret: string, branch: string): Promise<Response> {
  const body = JSON.stringify({ ref: `refs/heads/${branch}`, after: "7".repeat(40), sender: { login: "octo-dev" } });
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
}

describe("the Deploy tab's deploy hook", () => {
  it("creates a hook, shows its secret once, its URL and the instructions; a signed delivery shows up with its reason without a reload", async () => {
    const { page, problems } = await open(DEPLOY_TAB, 1280);
    const section = page.locator("#push-deploy");
    expect(await section.textContent()).toContain("No deploy hook");
    await page.locator("#hook-repo").fill("https://github.com/example/api.git");
    await page.locator("#hook-branch").fill("main");
    await page.getByRole("button", { name: "Create the deploy hook" }).click();

    const secretBox = page.locator("#push-deploy .hook-secret");
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const hookUrl = (await page.locator("#push-deploy .hook-url").textContent())!.trim();
    expect(hookUrl).toMatch(new RegExp(`^${stack.url}/hooks/demo/[A-Za-z0-9_-]+$`));
    expect(await section.textContent()).toContain("main of https://github.com/example/api.git");

    await page.getByText("How to add it in GitHub, GitLab or Gitea/Forgejo").click();
    const howto = page.locator("#push-deploy .hook-howto");
    for (const forge of ["GitHub", "GitLab", "Gitea / Forgejo"]) await expect.poll(() => howto.locator("li strong").allTextContents()).toContain(forge);
    expect(await howto.isVisible()).toBe(true);
    expect(await section.textContent()).toContain("No deliveries yet.");
    await screenshot(page, "deploy-hook-created-1280px");

    // A push to another branch, signed here as GitHub signs it: the open page lists it, with why nothing ran.
    const delivered = await githubPush(hookUrl, secret, "feature-x");
    expect(delivered.status).toBe(200);
    const row = page.locator('#hook-deliveries tr[data-outcome="ignored"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator(".reason").textContent()).toBe("other branch: feature-x (the hook follows main)");
    expect(await row.locator('td[data-label="From"]').textContent()).toContain("github");
    // The secret the answer showed is still there (the list reloads alone, not the section).
    expect(await secretBox.textContent()).toBe(secret);
    expect(problems).toEqual([]);
    await page.close();

    // Shown once: the tab opened again shows the hook and its deliveries, never the secret; it fits 1280 and 390 px.
    for (const width of [1280, 390]) {
      const again = await open(DEPLOY_TAB, width);
      await again.page.locator('#hook-deliveries tr[data-outcome="ignored"]').waitFor();
      expect(await again.page.locator("#push-deploy .hook-secret").count()).toBe(0);
      expect(await again.page.content()).not.toContain(secret);
      expect(await again.page.locator("#push-deploy .hook-url").textContent()).toBe(hookUrl);
      await screenshot(again.page, `deploy-hook-${width}px`);
      expect(await again.page.evaluate(() => document.documentElement.scrollWidth), `at ${width} px`).toBeLessThanOrEqual(width);
      expect(again.problems, `at ${width} px`).toEqual([]);
      await again.page.close();
    }
  });
});
