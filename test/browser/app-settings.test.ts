import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { commandsIn } from "../support/history.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/** The Settings tab's sections (issue #22) in a real browser: each works at 1280 px and 390 px, with no CSP error. */

// "next" runs Dokku 0.38, for what only it has (named storage entries)
const { stack, open } = useSignedInBrowser({ hosts: ["demo", "next"], versions: { next: "0.38.27" } }, { context: { viewport: { width: 1280, height: 900 } } });

/** What Chromium logs for a 400 answer: here always the edge refusing bad input on purpose. */
const BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)";

/**
 * The page opened at 1280 px and at 390 px fits each width (nothing scrolls sideways but the
 * tables' own wrappers), with no console error (a CSP violation among them).
 */
async function fits(path: string, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    const { page, problems } = await open(path, width);
    await screenshot(page, `${name}-${width}px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
    expect(problems, `${name} at ${width} px`).toEqual([]);
    await page.close();
  }
}

describe("the Settings tab", () => {
  it("proxy and nginx: shows the proxy's state, refuses a value that would add nginx directives, sets the body size and rebuilds the config", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api/settings");
    expect(await page.locator("#proxy-body .badge").first().textContent()).toBe("enabled");
    const field = page.getByLabel("Max request body");
    expect(await field.inputValue()).toBe("");
    expect(await field.getAttribute("placeholder")).toBe("1m");
    // 0.35.20 (the simulator's default) has no nginx:reload: said, not offered
    expect(await page.locator("section[aria-labelledby=proxy-h]").textContent()).toContain("needs Dokku 0.38.0 or later (this host runs 0.35.20)");

    await field.fill("1m; include /etc/nginx/x.conf");
    await page.getByRole("button", { name: "Save and rebuild nginx config" }).click();
    await expect.poll(() => page.locator("#proxy-result").textContent()).toContain("client-max-body-size: a size is a whole number");

    await field.fill("50m");
    await page.getByRole("button", { name: "Save and rebuild nginx config" }).click();
    await expect.poll(() => page.locator("#proxy-result").textContent(), { timeout: 60_000 }).toContain("Changed client-max-body-size");
    await expect.poll(() => page.getByLabel("Max request body").inputValue(), { timeout: 10_000 }).toBe("50m");
    expect(commandsIn(stack.relays.demo!.db, "dokku nginx:set api client-max-body-size 50m")).toHaveLength(1);
    expect(commandsIn(stack.relays.demo!.db, "dokku proxy:build-config api")).toHaveLength(1);

    await fits("/hosts/demo/apps/api/settings", "app-settings-proxy");
    expect(problems).toEqual([BAD_REQUEST]); // the intended 400 of the bad value
  });

  it("resources: refuses a bad value, sets a memory limit for web saying it needs a restart, then clears it", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api/settings");
    expect(await page.locator("#resource-list").textContent()).toContain("No limits or reservations");
    await page.getByLabel("Process type").fill("web");
    await page.getByLabel("Memory").fill("512 MB");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => page.locator("#resources-result").textContent()).toContain("memory is a whole number with a unit");
    await page.getByLabel("Memory").fill("512m");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect
      .poll(() => page.locator("#resources-result").textContent(), { timeout: 30_000 })
      .toContain("Set limits of web. Takes effect when the app's containers are next started");
    await expect.poll(() => page.locator('#resource-list li[data-resources="web.limit"]').textContent(), { timeout: 10_000 }).toContain("memory 512m");
    expect(commandsIn(stack.relays.demo!.db, "dokku resource:limit --memory 512m --process-type web api")).toHaveLength(1);
    await fits("/hosts/demo/apps/api/settings", "app-settings-resources");
    await page.getByRole("button", { name: "Clear limits of web" }).click();
    await expect.poll(() => page.locator("#resource-list li").count(), { timeout: 30_000 }).toBe(0);
    expect(problems).toEqual([BAD_REQUEST]); // the intended 400 of the bad value
  });

  it("network: refuses the host network with why, attaches two networks and shows them", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api/settings");
    await page.getByLabel("Property", { exact: true }).selectOption("initial-network");
    await page.getByLabel(/^Value/).fill("host");
    await page.getByRole("button", { name: "Set network property" }).click();
    await expect.poll(() => page.locator("#network-result").textContent()).toContain("the host network gives the app every port and interface of the host");
    await page.getByLabel("Property", { exact: true }).selectOption("attach-post-deploy");
    await page.getByLabel(/^Value/).fill("backend db");
    await page.getByRole("button", { name: "Set network property" }).click();
    await expect
      .poll(() => page.locator("#network-result").textContent(), { timeout: 30_000 })
      .toContain("Set attach-post-deploy. Rebuild the app for it to apply.");
    await expect.poll(() => page.locator('#network-facts dd[data-network="attach-post-deploy"]').textContent(), { timeout: 10_000 }).toBe("backend,db");
    expect(commandsIn(stack.relays.demo!.db, "dokku network:set api attach-post-deploy backend db")).toHaveLength(1);
    await fits("/hosts/demo/apps/api/settings", "app-settings-network");
    expect(problems).toEqual([BAD_REQUEST]); // the intended 400 of the host network
  });

  it("storage: refuses /etc however spelled and the docker socket with why, makes a directory with Dokku's command, mounts it read-only, unmounts", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api/settings");
    const section = page.locator("section[aria-labelledby=storage-h]");
    expect(await section.textContent()).toContain("Named storage entries need Dokku 0.38.0 or later (this host runs 0.35.20)");
    for (const [path, why] of [
      ["/etc/../etc/", "/etc may not be mounted: /etc is a system directory"],
      ["//var/run/docker.sock", "the docker socket lets the app start containers as root on the host"],
    ]) {
      await page.getByLabel("Host path").fill(path!);
      await page.getByLabel("Container path").fill("/data");
      await page.getByRole("button", { name: "Mount", exact: true }).click();
      await expect.poll(() => page.locator("#storage-result").textContent()).toContain(why);
    }
    await page.getByLabel(/^Directory in/).fill("api");
    await page.locator("#storage-dir-chown").selectOption("heroku");
    await page.getByRole("button", { name: "Make directory" }).click();
    await expect.poll(() => page.locator("#storage-result").textContent(), { timeout: 30_000 }).toContain("Storage directory api is ready to mount");
    expect(commandsIn(stack.relays.demo!.db, "dokku storage:ensure-directory --chown heroku api")).toHaveLength(1);

    await page.getByLabel("Host path").fill("/var/lib/dokku/data/storage/api/");
    await page.getByLabel("Container path").fill("/app/storage");
    await page.getByLabel("read-only").check();
    await page.getByRole("button", { name: "Mount", exact: true }).click();
    await expect.poll(() => page.locator("#storage-result").textContent(), { timeout: 30_000 }).toContain("Restart or deploy the app for it to apply.");
    const row = page.locator('#storage-mounts li[data-mount="/app/storage"]');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("/var/lib/dokku/data/storage/api → /app/storage (read-only)");
    expect(commandsIn(stack.relays.demo!.db, "dokku storage:mount api /var/lib/dokku/data/storage/api:/app/storage:ro")).toHaveLength(1);
    await fits("/hosts/demo/apps/api/settings", "app-settings-storage");

    await page.getByRole("button", { name: "Unmount /app/storage" }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator("#storage-mounts").textContent(), { timeout: 30_000 }).toContain("Nothing mounted");
    expect(commandsIn(stack.relays.demo!.db, "dokku storage:unmount api /var/lib/dokku/data/storage/api:/app/storage:ro")).toHaveLength(1);
    expect(problems).toEqual([BAD_REQUEST, BAD_REQUEST]); // the intended 400s of the two refused paths
  });

  it("storage on Dokku 0.38: creates a named entry, mounts it by name, destroys it with its directory after a confirmation", async () => {
    const { page, problems } = await open("/hosts/next/apps/api/settings");
    await page.getByLabel("Entry name").fill("uploads");
    await page.getByRole("button", { name: "Create entry" }).click();
    await expect.poll(() => page.locator("#storage-result").textContent(), { timeout: 30_000 }).toContain("Created the storage entry uploads");
    await expect
      .poll(() => page.locator('#storage-entries li[data-entry="uploads"]').textContent(), { timeout: 10_000 })
      .toContain("/var/lib/dokku/data/storage/uploads");
    await page.reload(); // the mount form offers the entries there are when the page is made
    await page.getByLabel("or entry").selectOption("uploads");
    await page.getByLabel("Container path").fill("/app/uploads");
    await page.getByRole("button", { name: "Mount", exact: true }).click();
    await expect.poll(() => page.locator('#storage-mounts li[data-mount="/app/uploads"]').textContent(), { timeout: 30_000 }).toContain("entry uploads");
    expect(commandsIn(stack.relays.next!.db, "dokku storage:mount api uploads --container-dir /app/uploads")).toHaveLength(1);
    await fits("/hosts/next/apps/api/settings", "app-settings-storage-entries");
    await page.getByRole("button", { name: "Unmount /app/uploads" }).click();
    await expect.poll(() => page.locator("#storage-mounts").textContent(), { timeout: 30_000 }).toContain("Nothing mounted");
    const row = page.locator('#storage-entries li[data-entry="uploads"]');
    await row.getByLabel("and its directory").check();
    await row.getByRole("button", { name: "Destroy uploads" }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator("#storage-entries").textContent(), { timeout: 30_000 }).toContain("No storage entries on this host.");
    expect(commandsIn(stack.relays.next!.db, "dokku storage:destroy uploads --force --destroy-host-dir")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("docker options: refuses --privileged saying why and how a relay may allow it, refuses shell text at the edge, adds and removes one", async () => {
    const { page, problems } = await open("/hosts/demo/apps/api/settings");
    const add = async (option: string) => {
      await page.getByLabel("Option", { exact: true }).fill(option);
      await page.getByRole("button", { name: "Add option" }).click();
    };
    await add("--privileged");
    await expect.poll(() => page.locator("#docker-options-result").textContent(), { timeout: 30_000 }).toContain("root on the host");
    expect(await page.locator("#docker-options-result").textContent()).toContain("--allow-isolation-breaking");
    await add("--restart=$(id)");
    await expect.poll(() => page.locator("#docker-options-result").textContent()).toContain("no spaces, quotes or shell characters");
    expect(commandsIn(stack.relays.demo!.db, "dokku docker-options:add")).toHaveLength(0);

    await add("--restart=always");
    await expect.poll(() => page.locator("#docker-options-result").textContent(), { timeout: 30_000 }).toContain("Added --restart=always to deploy and run.");
    await expect.poll(() => page.locator('#docker-options-list dd[data-phase="deploy"]').textContent(), { timeout: 10_000 }).toContain("--restart=always");
    expect(commandsIn(stack.relays.demo!.db, "dokku docker-options:add api deploy,run --restart=always")).toHaveLength(1);
    await fits("/hosts/demo/apps/api/settings", "app-settings-docker-options");

    await page.getByRole("button", { name: "Remove --restart=always from deploy" }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator('#docker-options-list dd[data-phase="deploy"]').textContent(), { timeout: 30_000 }).toBe("—");
    expect(await page.locator('#docker-options-list dd[data-phase="run"]').textContent()).toContain("--restart=always");
    expect(problems).toEqual([BAD_REQUEST]); // the edge's refusal of the shell text (the relay's of --privileged comes in the change's stream)
  });

  it("docker options on Dokku 0.38: an option for one process type, listed under it", async () => {
    const { page, problems } = await open("/hosts/next/apps/api/settings");
    await page.getByLabel("Option", { exact: true }).fill("--memory 1g");
    await page.getByLabel("Phases", { exact: true }).selectOption("deploy");
    await page.getByLabel("Process type (deploy only)").fill("worker");
    await page.getByRole("button", { name: "Add option" }).click();
    await expect.poll(() => page.locator('#docker-options-list dd[data-phase="deploy.worker"]').textContent(), { timeout: 30_000 }).toContain("--memory 1g");
    expect(commandsIn(stack.relays.next!.db, "dokku docker-options:add --process worker api deploy --memory 1g")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("proxy: disabling restarts the app and the section then offers Enable", async () => {
    const { page, problems } = await open("/hosts/demo/apps/blog.v2/settings");
    await page.getByRole("button", { name: "Disable proxy" }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator("#proxy-result").textContent(), { timeout: 60_000 }).toContain("Disabled the proxy of blog.v2");
    await expect.poll(() => page.locator("#proxy-body .badge").first().textContent(), { timeout: 10_000 }).toBe("disabled");
    expect(await page.getByRole("button", { name: "Enable proxy" }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
