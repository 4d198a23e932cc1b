import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { historyOf, until } from "../support/history.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Changes as durable jobs, in a real browser: a deploy keeps running when its viewer goes to
 * another tab, any browser can follow it from its first line, a double click never aborts it, and
 * Cancel stops it (history says so).
 */
const signedIn = useSignedInBrowser();
const { stack, open } = signedIn;

/** A change's own deploy command (a deploy's release reads follow it under the same op). */
const rowsOf = (opId: string) => historyOf(stack.relays.demo!.db).filter((e) => e.opId === opId && e.argv[1] === "ps:rebuild");

describe("durable changes in a real browser", () => {
  it("keeps a 20-second deploy running while its viewer is on another tab, and shows it from the first line on its page and in a second browser", async () => {
    const relay = stack.relays.demo!;
    // A rebuild that prints its first line, then works for ~20 s before the rest.
    relay.sim.faults({ "ps:rebuild": { stdout: "-----> Fetching the build cache\n", delayMs: 20_000 } });
    const { page, problems } = await open("/hosts/demo/apps/api");
    await page.getByRole("button", { name: "Rebuild", exact: true }).click();
    await expect.poll(() => page.locator("#action-result pre.live").textContent(), { timeout: 30_000 }).toContain("Fetching the build cache");
    const href = await page.getByRole("link", { name: "Follow this change on its own page" }).getAttribute("href");
    const opId = href!.split("/").at(-1)!;

    // The app's own page shows the running change and holds back the actions that would clash with it.
    const again = await open("/hosts/demo/apps/api");
    expect(await again.page.locator("#app-actions-buttons .running-change").textContent()).toContain("Rebuild api is running");
    expect(await again.page.getByRole("button", { name: "Restart", exact: true }).isDisabled()).toBe(true);
    await again.page.close();

    await new Promise((r) => setTimeout(r, 3000));
    await page.getByRole("link", { name: "Config", exact: true }).click();
    await page.waitForURL(/\/config$/);
    // Every page of the host lists what runs now; the change is still running.
    await expect.poll(() => page.locator("#running-ops").textContent()).toContain("Rebuild api");
    expect(rowsOf(opId).map((r) => r.outcome)).toEqual(["running"]);

    // A second browser, opened mid-run, follows it from its first line.
    const other = await signedIn.signIn();
    const second = await other.open(`/hosts/demo/ops/${opId}`);
    await expect.poll(() => second.page.locator("#op-live pre.live").textContent(), { timeout: 30_000 }).toContain("Fetching the build cache");

    // Back on the first: its page shows the earlier output, then the end.
    await page.locator("#running-ops a", { hasText: "Rebuild api" }).click();
    await page.waitForURL(new RegExp(`/ops/${opId}$`));
    await expect.poll(() => page.locator("#op-live pre.live").textContent(), { timeout: 30_000 }).toContain("Fetching the build cache");
    await screenshot(page, "op-running");
    await expect.poll(() => page.locator("#op-live pre.live").textContent(), { timeout: 60_000 }).toContain("Releasing api");
    await expect.poll(() => page.locator("#op-live .live-end").textContent(), { timeout: 30_000 }).toContain("Finished");
    // Its end takes Cancel away and points to the change's record.
    await expect.poll(() => page.getByRole("button", { name: "Cancel" }).count(), { timeout: 10_000 }).toBe(0);
    expect(await page.locator("#op-running").textContent()).toContain("This change has ended");
    await expect.poll(() => second.page.locator("#op-live pre.live").textContent(), { timeout: 30_000 }).toContain("Releasing api");
    relay.sim.faults({});
    expect(rowsOf(opId).map((r) => r.outcome)).toEqual(["ok"]);

    // Once ended, the page is the outcome with the whole output, from history.
    await page.reload();
    expect(await page.locator("main").textContent()).toContain("Fetching the build cache");
    await screenshot(page, "op-ended");
    expect([...problems, ...second.problems]).toEqual([]);
    await page.close();
    await other.context.close();
  }, 180_000);

  it("never aborts a change when its button is clicked twice in a row", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:restart": { delayMs: 1500 } });
    const { page, problems } = await open("/hosts/demo/apps/blog.v2");
    const restart = page.getByRole("button", { name: "Restart", exact: true });
    const before = historyOf(relay.db).filter((e) => e.argv.join(" ") === "dokku ps:restart blog.v2").length;
    await restart.click();
    await restart.click({ force: true }).catch(() => {}); // the second click of the race (the button may already be disabled)
    await expect.poll(() => page.locator("#action-result").textContent(), { timeout: 60_000 }).toMatch(/Restarted blog\.v2|Busy/);
    const rows = await until("the restart to end", () => {
      const r = historyOf(relay.db)
        .filter((e) => e.argv.join(" ") === "dokku ps:restart blog.v2")
        .slice(before);
      return r.length > 0 && r.every((e) => e.outcome !== "running") ? r : null;
    });
    relay.sim.faults({});
    expect(rows.map((r) => r.outcome)).toEqual(["ok"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stops a change on Cancel, after saying what an interrupted deploy can leave behind, and history says cancelled", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:rebuild": { stdout: "-----> Building\n", delayMs: 60_000 } });
    const { page, problems } = await open("/hosts/demo/apps/blog.v2");
    await page.getByRole("button", { name: "Rebuild", exact: true }).click();
    await expect.poll(() => page.locator("#action-result pre.live").textContent()).toContain("Building");
    await page.getByRole("link", { name: "Follow this change on its own page" }).click();
    const opId = page.url().split("/").at(-1)!;
    const op = await open(`/hosts/demo/ops/${opId}`);
    await page.close(); // one viewer is enough here; each open page holds a stream
    await op.page.getByRole("button", { name: "Cancel" }).click();
    expect(op.dialogs.join("\n")).toContain("Unlock");
    await expect.poll(() => op.page.locator("#op-live .live-end").textContent(), { timeout: 60_000 }).toMatch(/stopped|cancel/i);
    // Once it ended the page says only that: the Cancel button and its "Cancel sent" answer are gone
    // with it (a stopped change's page never says "Cancel sent" and "Cancelled" at once).
    await expect.poll(() => op.page.locator("#op-cancel-result, button:text-is('Cancel')").count(), { timeout: 30_000 }).toBe(0);
    const rows = await until("the cancelled row", () => {
      const r = rowsOf(opId).filter((e) => e.outcome !== "running");
      return r.length > 0 ? r : null;
    });
    relay.sim.faults({});
    expect(rows.map((r) => r.outcome)).toEqual(["cancelled"]);
    expect([...problems, ...op.problems]).toEqual([]);
  });

  it("holds back Scale and Destroy while a change runs on another page, and gives them back when it ends, without a reload", async () => {
    const relay = stack.relays.demo!;
    relay.sim.faults({ "ps:restart": { delayMs: 6_000 } });
    const started = await open("/hosts/demo/apps/api");
    await started.page.getByRole("button", { name: "Restart", exact: true }).click();
    await until("the restart to run", () => historyOf(relay.db).some((e) => e.argv.join(" ") === "dokku ps:restart api" && e.outcome === "running"));
    const { page, problems } = await open("/hosts/demo/apps/api");
    const scale = page.getByRole("button", { name: "Apply scale" });
    const destroy = page.getByRole("button", { name: "Destroy api" });
    expect([await scale.isDisabled(), await destroy.isDisabled()]).toEqual([true, true]);
    await expect.poll(async () => [await scale.isDisabled(), await destroy.isDisabled()], { timeout: 30_000 }).toEqual([false, false]);
    relay.sim.faults({});
    expect(await page.getByRole("button", { name: "Restart", exact: true }).isDisabled()).toBe(false);
    expect([...problems, ...started.problems]).toEqual([]);
    await Promise.all([page.close(), started.page.close()]);
  });
});
