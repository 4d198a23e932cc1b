import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { useSignedInBrowser } from "../support/use-browser.js";

const signedIn = useSignedInBrowser({}, { context: { viewport: { width: 1200, height: 900 }, acceptDownloads: true } });
const { stack, open } = signedIn;

/** A live-streamed DSN must show its password masked. */
const UNMASKED_DSN = /:\/\/[^:/@\s]*:(?!\*\*\*@)[^@\s]+@/;

describe("the dashboard's pages in a real browser", () => {
  it("shows the host's health with sparklines, the apps and the recent changes", async () => {
    const { page, problems } = await open("/");
    expect(page.url()).toBe(`${stack.url}/hosts/demo`);
    await expect(page.getByRole("heading", { name: "Server health" }).isVisible()).resolves.toBe(true);
    for (const metric of ["cpu", "memory", "disk-0"]) {
      const card = page.locator(`[data-metric="${metric}"]`);
      expect(await card.locator(".metric-value strong").textContent()).toMatch(/^(\d+\.\d %|—)$/);
      expect(await card.locator("svg.spark title").textContent()).toMatch(/last hour/);
    }
    expect(await page.getByRole("img", { name: /^CPU, last hour/ }).count()).toBe(1);
    expect(await page.locator("table.apps tbody tr").count()).toBe(4);
    await expect(page.locator('tr[data-app="api"] a').getAttribute("href")).resolves.toBe("/hosts/demo/apps/api");
    const nav = page.getByRole("navigation", { name: "Host" });
    for (const name of ["Dashboard", "Databases", "Plugins", "History", "Host"]) expect(await nav.getByRole("link", { name, exact: true }).count()).toBe(1);
    await expect(nav.getByRole("link", { name: "Dashboard" }).getAttribute("aria-current")).resolves.toBe("page");

    // a change shows up under "Recent changes"
    // queue-worker is stopped, so its row offers Start (not Restart); once the start ended, its row
    // shows it running without a reload (the list reads itself again on the change's stale event),
    // and the outcome stays in the row (its result area survives the list's refresh)
    const row = page.locator('tr[data-app="queue-worker"]');
    expect(await row.locator("td.state .badge").getAttribute("data-state")).toBe("stopped");
    expect(await row.getByRole("button", { name: "Restart" }).count()).toBe(0);
    await row.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => row.locator(".result").textContent(), { timeout: 30_000 }).toContain("Started queue-worker");
    await expect.poll(() => row.locator("td.state .badge").getAttribute("data-state"), { timeout: 10_000 }).toBe("running");
    expect(await row.locator("td.processes").textContent()).toBe("1");
    expect(await row.locator(".result").textContent()).toContain("Started queue-worker");
    expect(await row.getByRole("button", { name: "Restart" }).isEnabled()).toBe(true);
    await page.reload();
    expect(await page.locator(".activity").textContent()).toContain("dokku ps:start queue-worker");
    await screenshot(page, "dashboard");
    expect(problems).toEqual([]);
  });

  it("creates a database with live output, links it to an app, refuses to destroy it while linked, unlinks and destroys it", async () => {
    const { page, problems } = await open("/hosts/demo/databases");
    expect(await page.locator('[data-plugin="postgres"] li[data-service="main-db"]').count()).toBe(1);
    expect(await page.locator('[data-plugin="mysql"] code.remedy').textContent()).toBe("sudo dokku plugin:install https://github.com/dokku/dokku-mysql.git");
    await screenshot(page, "databases");

    await page.getByLabel("Type", { exact: true }).selectOption("postgres");
    await page.getByLabel("Name", { exact: true }).fill("orders-db");
    await page.getByRole("button", { name: "Create" }).click();
    const created = page.locator("#create-result");
    await expect.poll(() => created.textContent(), { timeout: 30_000 }).toContain("Created postgres database orders-db");
    const live = await created.locator("pre.live").textContent();
    expect(live).toContain("container created: orders-db");
    expect(live).toContain("***@");
    expect(live).not.toMatch(UNMASKED_DSN);
    expect(page.url()).toBe(`${stack.url}/hosts/demo/databases`);
    await screenshot(page, "database-created");

    await created.getByRole("link", { name: "Open orders-db" }).click();
    await page.waitForURL(/\/databases\/postgres\/orders-db$/);
    expect(await page.locator("code.dsn").textContent()).toMatch(/^postgres:\/\/postgres:\*\*\*@/);
    await page.getByLabel("App to link").selectOption("api");
    await page.getByRole("button", { name: "Link", exact: true }).click();
    await expect.poll(() => page.locator("#link-result").textContent(), { timeout: 30_000 }).toContain("Linked orders-db to api");
    expect(await page.locator("#link-result pre.live").textContent()).toContain("Setting config vars");

    await page.reload();
    expect(await page.locator('li[data-linked="api"]').count()).toBe(1);
    await screenshot(page, "database");

    // destroy refuses while linked: Dokku's own message, as text
    await page.getByLabel("Type orders-db to confirm", { exact: true }).fill("orders-db");
    await page.getByRole("button", { name: "Destroy orders-db" }).click();
    await expect.poll(() => page.locator("#destroy-result").textContent(), { timeout: 30_000 }).toContain("Cannot delete linked service");

    // Unlink asks first (htmx's dialog, which `open` accepts; the edge asks on a page of its own without JavaScript)
    const asked = new Promise<string>((resolve) => page.once("dialog", (d) => resolve(`${d.type()}: ${d.message()}`)));
    await page.getByRole("button", { name: "Unlink api" }).click();
    expect(await asked).toMatch(/^confirm: .*Unlink orders-db from api\?/s);
    await expect.poll(() => page.locator('li[data-linked="api"] .result').textContent(), { timeout: 30_000 }).toContain("Unlinked orders-db from api");
    await page.reload();
    expect(await page.locator('li[data-linked="api"]').count()).toBe(0);

    await page.getByLabel("Type orders-db to confirm", { exact: true }).fill("orders-db");
    await page.getByRole("button", { name: "Destroy orders-db" }).click();
    await expect.poll(() => page.locator("#destroy-result").textContent(), { timeout: 30_000 }).toContain("Destroyed postgres database orders-db");
    await page.locator("#destroy-result").getByRole("link", { name: "Back to the databases" }).click();
    await page.waitForURL(/\/databases$/);
    expect(await page.locator('li[data-service="orders-db"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("filters the history by URL, expands a row's output, and exports CSV (formula-safe) and JSON", async () => {
    const { page, problems } = await open("/hosts/demo/history");
    await page.getByLabel("Op").selectOption("databases.link");
    await page.getByLabel("Outcome").selectOption("ok");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/op=databases\.link/);
    expect(page.url()).toContain("outcome=ok");
    const rows = page.locator("table.history tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator("code").textContent()).toBe("dokku postgres:link orders-db api");
    await rows.first().locator("summary").click();
    await expect(rows.first().locator("pre.stdout").isVisible()).resolves.toBe(true);
    expect(await rows.first().locator("pre.stdout").textContent()).toContain("Setting config vars");
    await screenshot(page, "history-filtered");

    // the filter is in the URL: bookmarkable
    const again = await signedIn.browser.newPage();
    await again.context().addCookies(await page.context().cookies());
    await again.goto(page.url());
    expect(await again.locator("table.history tbody tr").count()).toBe(1);
    await again.close();

    // CSV: a download with the same filters; Dokku's "-----> " lines are prefixed with ' so a spreadsheet keeps them as text
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^docklight-demo-history-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(download.url()).toContain("op=databases.link");
    const csv = await download.createReadStream().then(async (s) => {
      let t = "";
      for await (const chunk of s) t += String(chunk);
      return t;
    });
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,opId,op,app,argv,/);
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(1);
    expect(csv).toContain("'-----> Setting config vars");
    // no cell starts with it unprefixed (a line inside a quoted cell may: that is not a cell start)
    expect(csv).not.toMatch(/,"?-----> /);

    const jsonHref = await page.getByRole("link", { name: "JSON" }).getAttribute("href");
    const href = new URL(jsonHref!, stack.url);
    expect(href.pathname).toBe("/hosts/demo/history/export.json");
    expect(Object.fromEntries(href.searchParams)).toEqual({ show: "changes", op: "databases.link", outcome: "ok" });
    const res = await page.request.get(`${stack.url}${jsonHref}`);
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename=".*\.json"$/);
    const entries = (await res.json()) as Array<{ op: string; outcome: string; argv: string[] }>;
    expect(entries.map((e) => [e.op, e.outcome, e.argv.join(" ")])).toEqual([["databases.link", "ok", "dokku postgres:link orders-db api"]]);

    // a bad filter: the page says what was wrong
    await page.goto(`${stack.url}/hosts/demo/history?from=2025-02-30`);
    expect(await page.getByRole("alert").textContent()).toContain("from is not a real date");
    expect(problems.filter((p) => !p.includes("400"))).toEqual([]);
  });

  it("fits a 360 px phone without horizontal scrolling", async () => {
    const { page, problems } = await open("/", 360);
    for (const [path, name] of [
      ["/hosts/demo", "phone-dashboard"],
      ["/hosts/demo/databases", "phone-databases"],
      ["/hosts/demo/databases/postgres/main-db", "phone-database"],
      ["/hosts/demo/plugins", "phone-plugins"],
      ["/hosts/demo/history", "phone-history"],
      ["/hosts/demo/host", "phone-host"],
      ["/account", "phone-account"],
      ["/hosts/demo/apps/api/deploy", "phone-app-deploy"],
      ["/hosts/demo/apps/api/domains", "phone-app-domains"],
      ["/hosts/demo/apps/api/logs", "phone-app-logs"],
    ] as const) {
      await page.goto(`${stack.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
      await screenshot(page, name);
    }
    expect(problems).toEqual([]);
  });

  it("holds the CSP on every page (no console errors) and screenshots each", async () => {
    const { page, problems } = await open("/");
    for (const [path, name, heading] of [
      ["/hosts/demo", "page-dashboard", "demo"],
      ["/hosts/demo/databases", "page-databases", "Databases on demo"],
      ["/hosts/demo/databases/redis/cache", "page-database", "cache"],
      ["/hosts/demo/plugins", "page-plugins", "Plugins on demo"],
      ["/hosts/demo/history", "page-history", "Command history on demo"],
      ["/hosts/demo/host", "page-host", "Host demo"],
      ["/hosts", "page-hosts", "Hosts"],
    ] as const) {
      const res = await page.goto(`${stack.url}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(res?.headers()["content-security-policy"], path).toContain("script-src 'self'");
      await expect(page.getByRole("heading", { level: 1 }).textContent(), path).resolves.toBe(heading);
      await screenshot(page, name);
    }
    await page.goto(`${stack.url}/hosts/demo/plugins`);
    expect(await page.locator('tr[data-plugin="postgres"] td').first().textContent()).toBe("1.41.0");
    expect(await page.locator('tr[data-plugin="postgres"] .badge').textContent()).toBe("enabled");
    await page.goto(`${stack.url}/hosts/demo/host`);
    expect(await page.locator("dd.latency").textContent()).toMatch(/^\d+ ms$/);
    expect(await page.getByRole("link", { name: "Add a host" }).getAttribute("href")).toBe("/hosts#add-host");
    expect(problems).toEqual([]);
  });
  it("creates an app from the dashboard (refusing a name Dokku would refuse) and says how to deploy it", async () => {
    const { page, problems } = await open("/");
    await page.getByText("Create an app").click();
    const name = page.getByLabel("Name", { exact: true });
    // the browser's own check stops a bad name before it is sent; the edge refuses it too
    await name.fill("Bad_Name");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    expect(await name.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    const refused = await page.evaluate(async () => {
      const res = await fetch("/hosts/demo/apps", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=Bad_Name" });
      return { status: res.status, text: await res.text() };
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("name: ");

    await name.fill("shop.v1");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await expect.poll(() => page.locator("#create-app-result").textContent(), { timeout: 30_000 }).toContain("Created shop.v1");
    expect(await page.locator("#create-app-result pre.copy").textContent()).toContain("git remote add dokku dokku@<your-dokku-host>:shop.v1");
    // the page shows what the change made, without a reload: the new app in the list, the name no longer in the field
    await expect.poll(() => page.locator('tr[data-app="shop.v1"]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByLabel("Name", { exact: true }).inputValue(), { timeout: 10_000 }).toBe("");
    expect(await page.locator("#create-app-result").textContent()).toContain("Created shop.v1");
    await screenshot(page, "app-created");
    await page.locator("#create-app-result").getByRole("link", { name: "Open shop.v1" }).click();
    await page.waitForURL(/\/hosts\/demo\/apps\/shop\.v1$/);
    expect(await page.locator("h1").textContent()).toBe("shop.v1");
    await page.goto(`${stack.url}/hosts/demo`);
    expect(await page.locator('tr[data-app="shop.v1"]').count()).toBe(1); // the apps list was not served stale
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  });
});
