import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot, watchConsole } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * A team in a real browser: the owner invites a deployer granted one app, the deployer accepts
 * the link, adds a passkey (Chromium's virtual authenticator over the DevTools protocol), signs
 * out and back in with the passkey alone, sees only the granted app without the actions a
 * deployer may not take, has a deploy on another app refused with nothing run on the host, and
 * loses the open session when the owner suspends them.
 */
/** WebAuthn needs a domain for its relying party: `localhost`, not an IP address. */
const owner = useSignedInBrowser({}, { host: "localhost" });

const EMAIL = "dee@example.com";
const PASSWORD = "a long enough password for dee";

/** A virtual platform authenticator holding discoverable credentials and verifying its user (a PIN or a finger, always right). */
async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

describe("a team member in a real browser", () => {
  it(
    "is invited, adds a passkey, signs in with it alone, sees only their app, is refused another, and is cut off when suspended",
    { timeout: 180_000 },
    async () => {
      // The owner (the fixture's signed-in admin) invites Dee as a deployer of the app "api" on demo.
      const url = owner.url;
      const { page: ownerPage, problems: ownerProblems } = await owner.open("/users");
      await ownerPage.getByLabel("E-mail").fill(EMAIL);
      await ownerPage.locator("form:has(#invite-email) select[name=role]").selectOption("deployer");
      await ownerPage.getByRole("button", { name: "Invite" }).click();
      const link = await ownerPage.getByLabel("Invitation link").inputValue();
      const row = ownerPage.locator("table.users tr", { hasText: EMAIL });
      await row.locator("input[name=app]").fill("api");
      await row.getByRole("button", { name: "Grant" }).click();
      await expect.poll(() => ownerPage.locator("table.users tr", { hasText: EMAIL }).textContent()).toContain("api");

      // Dee accepts the link in her own browser and chooses a password.
      const deeContext = await owner.browser.newContext();
      const dee = await deeContext.newPage();
      const deeProblems = watchConsole(dee);
      await dee.goto(link.replace("127.0.0.1", "localhost"));
      await dee.getByLabel("New password").fill(PASSWORD);
      await dee.getByLabel("The same again").fill(PASSWORD);
      await dee.getByRole("button", { name: "Join" }).click();
      await dee.waitForURL(/\/hosts\/demo/);

      // She adds a passkey on her Account page.
      await virtualAuthenticator(deeContext, dee);
      await dee.goto(`${url}/account`);
      await dee.getByLabel("Name (the device it is on)").fill("Test laptop");
      await dee.getByRole("button", { name: "Add a passkey" }).click();
      await expect.poll(() => dee.locator("[role=status]").first().textContent(), { timeout: 20_000 }).toContain("Passkey “Test laptop” added");
      expect(await dee.locator("ul.passkeys").textContent()).toContain("Test laptop");
      await screenshot(dee, "team-passkey-added");

      // Signed out, she signs in with the passkey alone: no e-mail, no password.
      await dee.getByRole("button", { name: "Log out", exact: true }).click();
      await dee.waitForURL(/\/login$/);
      await dee.getByRole("button", { name: "Sign in with a passkey" }).click();
      await dee.waitForURL(/\/hosts\/demo/, { timeout: 20_000 });

      // Only the granted app, and only the actions a deployer of it may take.
      await expect.poll(() => dee.locator("table.apps tbody tr").count(), { timeout: 20_000 }).toBe(1);
      expect(await dee.locator("table.apps tbody tr").getAttribute("data-app")).toBe("api");
      expect(await dee.getByText("Create an app").count()).toBe(0);
      expect(await dee.getByText("Server health").count()).toBe(0);
      expect(await dee.getByText("Not allowed").count()).toBe(0);
      await screenshot(dee, "team-deployer-dashboard");
      await dee.goto(`${url}/hosts/demo/apps/api`);
      await expect.poll(() => dee.getByRole("button", { name: "Restart" }).count(), { timeout: 20_000 }).toBe(1);
      expect(await dee.getByRole("button", { name: /^Destroy/ }).count()).toBe(0);
      expect(await dee.getByRole("button", { name: "Rename" }).count()).toBe(0);

      // A deploy of another app, posted by hand from her session, is refused and runs nothing on the host.
      const refused = await dee.request.post(`${url}/hosts/demo/apps/blog.v2/ps/rebuild`, { headers: { origin: url } });
      expect(refused.status()).toBe(403);
      expect(await refused.text()).toContain("no grant on app blog.v2");
      const history = await ownerPage.request.get(`${url}/hosts/demo/history?app=blog.v2`);
      expect(await history.text()).not.toContain(EMAIL);

      // The owner suspends her: her open session ends at once.
      await ownerPage.goto(`${url}/users`);
      await ownerPage.locator("table.users tr", { hasText: EMAIL }).getByRole("button", { name: "Suspend" }).click();
      await expect.poll(() => ownerPage.locator("table.users tr", { hasText: EMAIL }).textContent()).toContain("suspended");
      await dee.reload();
      await dee.waitForURL(/\/login$/);
      // and her passkey no longer signs her in
      await dee.getByRole("button", { name: "Sign in with a passkey" }).click();
      await expect.poll(() => dee.locator("[role=alert]").first().textContent(), { timeout: 20_000 }).toContain("does not open an active account");

      expect(ownerProblems).toEqual([]);
      // The refused sign-in answers 401, which the browser logs as a failed resource; nothing else.
      expect(deeProblems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    },
  );
});
