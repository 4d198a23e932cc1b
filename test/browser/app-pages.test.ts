import { describe, expect, it } from "vitest";
import { screenshot, watchConsole } from "../support/browser.js";
import { commandsIn, historyOf, until } from "../support/history.js";
import { useSignedInBrowser } from "../support/use-browser.js";

const browser = useSignedInBrowser(
  {},
  {
    // Deploy output a step at a time (tests elsewhere run the simulator at full speed).
    prepare: async (stack) => {
      stack.relays.demo!.sim.env.DOKKU_SIM_STEP_MS = "80";
      await stack.relays.demo!.restart();
    },
  },
);
const { stack, open } = browser;

/** What Chromium logs for a 400 answer: here always the edge refusing bad input on purpose. */
const BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)";

const app = (name: string, tab = "") => `/hosts/demo/apps/${name}${tab}`;

describe("per-app pages in a real browser", () => {
  it("rebuilds with live output: lines arrive one by one, the buttons stay disabled until it succeeds", async () => {
    const { page, problems } = await open(app("api"));
    expect(await page.locator("h1").textContent()).toBe("api");
    expect(await page.locator("#app-summary .badge").textContent()).toBe("running");
    await screenshot(page, "app-overview");
    await page.evaluate(() => {
      const w = window as unknown as { seen: Array<{ text: string; disabled: boolean; ended: boolean }> };
      w.seen = [];
      const result = document.getElementById("action-result")!;
      const rebuild = [...document.querySelectorAll<HTMLButtonElement>(".app-actions button")].find((b) => b.textContent?.trim() === "Rebuild")!;
      new MutationObserver(() => {
        w.seen.push({
          text: result.querySelector("pre.live")?.textContent ?? "",
          disabled: rebuild.disabled,
          ended: (result.querySelector(".live-end")?.textContent ?? "") !== "",
        });
      }).observe(result, { childList: true, subtree: true, characterData: true });
    });
    await page.getByRole("button", { name: "Rebuild" }).click();
    await expect.poll(() => page.locator("#action-result .live-end").textContent(), { timeout: 60_000 }).toContain("Rebuilt api");
    await expect.poll(() => page.getByRole("button", { name: "Rebuild" }).isEnabled()).toBe(true);

    const seen = await page.evaluate(() => (window as unknown as { seen: Array<{ text: string; disabled: boolean; ended: boolean }> }).seen);
    const during = seen.filter((s) => !s.ended && s.text !== "");
    const texts = [...new Set(during.map((s) => s.text))];
    expect(texts.length).toBeGreaterThanOrEqual(4); // the output grew several times before the end
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(during.every((s) => s.disabled)).toBe(true);
    const output = await page.locator("#action-result pre.live").textContent();
    expect(output).toContain("-----> Building api from herokuish");
    expect(output).toContain("-----> Deploying web (count=1)");
    expect(await page.locator("#action-result .outcome-ok").count()).toBe(1);
    await screenshot(page, "app-rebuilt");

    // The app's own history tab shows it, with a link to the host's full history.
    await page.getByRole("link", { name: "History" }).last().click();
    await page.waitForURL(/\/apps\/api\/history$/);
    expect(await page.locator("table.history").textContent()).toContain("dokku ps:rebuild api");
    expect(await page.getByRole("link", { name: "Full history of demo" }).getAttribute("href")).toBe("/hosts/demo/history?app=api");
    await screenshot(page, "app-history");
    expect(problems).toEqual([]);
  });

  it("offers Stop while the app runs and Start once it is stopped, and none of them before a deploy", async () => {
    const { page, problems } = await open(app("blog.v2"));
    const buttons = () => page.locator("#app-actions-buttons button").allTextContents();
    expect((await buttons()).map((b) => b.trim())).toEqual(["Stop", "Restart", "Rebuild"]);
    await page.getByRole("button", { name: "Stop", exact: true }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator("#action-result").textContent(), { timeout: 30_000 }).toContain("Stopped blog.v2");
    await expect.poll(async () => (await buttons()).map((b) => b.trim()), { timeout: 10_000 }).toEqual(["Start", "Rebuild"]);
    await expect.poll(() => page.locator("#app-summary .badge").textContent(), { timeout: 10_000 }).toBe("stopped");
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await expect.poll(() => page.locator("#action-result").textContent(), { timeout: 30_000 }).toContain("Started blog.v2");
    await expect.poll(async () => (await buttons()).map((b) => b.trim()), { timeout: 10_000 }).toEqual(["Stop", "Restart", "Rebuild"]);

    await page.goto(`${stack.url}${app("staging")}`);
    expect(await page.locator("#app-actions-buttons button").count()).toBe(0);
    expect(await page.locator("#app-actions-buttons").textContent()).toContain("Not deployed yet");
    expect(problems).toEqual([]);
  });

  it("scales every process type in one form and shows the new containers", async () => {
    const { page, problems } = await open(app("api"));
    expect(await page.locator('input[name="scale.web"]').inputValue()).toBe("1");
    await page.locator('input[name="scale.web"]').fill("2");
    await page.getByRole("button", { name: "Apply scale" }).click();
    await expect.poll(() => page.locator("#scale-result").textContent(), { timeout: 60_000 }).toContain("Scaled api: web=2 worker=1");
    // the status section reloads by itself
    await expect.poll(() => page.locator('#app-summary tr[data-process="web.2"]').count()).toBe(1);
    expect(await page.locator("#app-summary dl").textContent()).toContain("3");
    await page.reload();
    expect(await page.locator('input[name="scale.web"]').inputValue()).toBe("2");
    expect(commandsIn(stack.relays.demo!.db, "dokku ps:scale api -- web=2 worker=1")).toHaveLength(1);
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, "app-overview-360px");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(problems).toEqual([]);
  });

  it("sets a value holding spaces and quotes, reveals it exactly, edits it in its row, then removes it", async () => {
    const value = `it's "quoted" $HOME`;
    const { page, problems } = await open(app("api", "/config"));
    expect(await page.locator("#config-list").textContent()).toContain("GIT_REV");
    expect(await page.locator("#config-list").textContent()).not.toContain("cd7b8afc"); // masked until revealed
    await page.getByLabel("Don't restart the app").check();
    await page.locator("#set-key").fill("GREETING");
    await page.locator("#set-value").fill(value);
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => page.locator("#set-result").textContent(), { timeout: 30_000 }).toContain("Set GREETING (not restarted)");
    await expect.poll(() => page.locator('#config-list tr[data-key="GREETING"]').count()).toBe(1);
    await page.getByRole("button", { name: "Reveal GREETING" }).click();
    await expect.poll(() => page.locator('tr[data-key="GREETING"] code.revealed').textContent()).toBe(value);
    await screenshot(page, "app-config");
    const set = historyOf(stack.relays.demo!.db).filter((e) => e.op === "config.set");
    expect(set.at(-1)!.argv).toContain("--no-restart");
    expect(JSON.stringify(set.at(-1))).not.toContain("quoted"); // the value stays out of history

    // edit in place: the current value is the starting text, Cancel puts the mask back
    await page.getByRole("button", { name: "Edit GREETING" }).click();
    const editor = page.getByLabel("New value for GREETING");
    await expect.poll(() => editor.inputValue()).toBe(value);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => page.locator('tr[data-key="GREETING"] .masked').count()).toBe(1);
    await page.getByRole("button", { name: "Edit GREETING" }).click();
    await editor.fill(`\nline two <b>"x"</b>`);
    await page.getByRole("button", { name: "Save GREETING" }).click();
    await expect.poll(() => page.locator("#config-result").textContent(), { timeout: 30_000 }).toContain("Set GREETING (not restarted)");
    await expect.poll(() => page.locator('tr[data-key="GREETING"] .masked').count()).toBe(1);
    await page.getByRole("button", { name: "Reveal GREETING" }).click();
    await expect.poll(() => page.locator('tr[data-key="GREETING"] code.revealed').textContent()).toBe(`\nline two <b>"x"</b>`);
    expect(historyOf(stack.relays.demo!.db).filter((e) => e.op === "config.set")).toHaveLength(set.length + 1);

    await page.getByRole("button", { name: "Remove GREETING" }).click();
    await expect.poll(() => page.locator("#config-result").textContent(), { timeout: 30_000 }).toContain("Removed GREETING");
    await expect.poll(() => page.locator('#config-list tr[data-key="GREETING"]').count()).toBe(0);
    expect(commandsIn(stack.relays.demo!.db, "dokku config:unset --no-restart api -- GREETING")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("pastes a .env: names the bad lines, shows what dotenv reads before setting it, then sets it in one config:set", async () => {
    const { page, problems } = await open(app("api", "/config"));
    const box = page.getByLabel(/read as dotenv reads it/);
    await box.fill("A_ONE=1\nnot a line\nB_TWO=x\n9BAD=y");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.locator("#bulk-result").textContent(), { timeout: 10_000 }).toContain("line 2: not a KEY=value line (dotenv skips it)");
    expect(await page.locator("#bulk-result").textContent()).toContain("line 4:");
    expect(await page.locator('#config-list tr[data-key="A_ONE"]').count()).toBe(0);

    await box.fill("# pasted from .env\nA_ONE=1\n\nB_TWO=two words = with equals\nC_THREE=ünïcode ✓ $PATH 'x'\nexport D_FOUR=\"quoted value\"\n");
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.locator("#bulk-result .bulk-preview");
    await expect.poll(() => preview.locator("tr[data-key]").count(), { timeout: 10_000 }).toBe(4);
    await preview.locator('tr[data-key="D_FOUR"] summary').click();
    expect(await preview.locator('tr[data-key="D_FOUR"] pre.value').textContent()).toBe("quoted value");
    expect(await page.locator('#config-list tr[data-key="D_FOUR"]').count()).toBe(0); // nothing set by the preview
    await page.getByRole("button", { name: "Set these 4 variables" }).click();
    await expect.poll(() => page.locator("#bulk-set-result").textContent(), { timeout: 30_000 }).toContain("Set 4 variables: A_ONE, B_TWO, C_THREE, D_FOUR");
    await expect.poll(() => page.locator('#config-list tr[data-key="D_FOUR"]').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole("button", { name: "Reveal B_TWO" }).click();
    await page.getByRole("button", { name: "Reveal C_THREE" }).click();
    await page.getByRole("button", { name: "Reveal D_FOUR" }).click();
    await expect.poll(() => page.locator('tr[data-key="B_TWO"] code.revealed').textContent()).toBe("two words = with equals");
    await expect.poll(() => page.locator('tr[data-key="C_THREE"] code.revealed').textContent()).toBe("ünïcode ✓ $PATH 'x'");
    await expect.poll(() => page.locator('tr[data-key="D_FOUR"] code.revealed').textContent()).toBe("quoted value");
    // one config:set for all four
    expect(historyOf(stack.relays.demo!.db).filter((e) => e.op === "config.set" && e.argv.some((a) => a.startsWith("D_FOUR=")))).toHaveLength(1);
    await screenshot(page, "app-config-pasted");
    expect(problems).toEqual([BAD_REQUEST]); // Chromium logs the intended 400 of the bad paste
  });

  it("adds a domain (refusing a bad one with a message) and removes it", async () => {
    const { page, problems } = await open(app("api", "/domains"));
    expect(await page.locator("#domain-list").textContent()).toContain("api.demo.dokku.me");
    await page.locator("#domain").fill("bad_domain!");
    await page.getByRole("button", { name: "Add domain" }).click();
    await expect.poll(() => page.locator("#add-domain-result").textContent()).toContain("a domain is a lowercase hostname");
    await page.locator("#domain").fill("Shop.Example.com");
    await page.getByRole("button", { name: "Add domain" }).click();
    await expect.poll(() => page.locator("#add-domain-result").textContent(), { timeout: 30_000 }).toContain("Added shop.example.com");
    await expect.poll(() => page.locator('#domain-list li[data-domain="shop.example.com"]').count()).toBe(1);
    await screenshot(page, "app-domains");
    await page.getByRole("button", { name: "Remove shop.example.com" }).click();
    await expect.poll(() => page.locator("#domains-result").textContent(), { timeout: 30_000 }).toContain("Removed shop.example.com");
    await expect.poll(() => page.locator('#domain-list li[data-domain="shop.example.com"]').count()).toBe(0);
    expect(commandsIn(stack.relays.demo!.db, "dokku domains:add api shop.example.com")).toHaveLength(1);
    expect(commandsIn(stack.relays.demo!.db, "dokku domains:remove api shop.example.com")).toHaveLength(1);
    expect(problems).toEqual([BAD_REQUEST]); // the intended 400 of the bad domain
  });

  it("enables Let's Encrypt: the stream ends in success and the tab shows it active with its expiry", async () => {
    const { page, problems } = await open(app("blog.v2", "/tls"));
    expect(await page.locator("#tls-status .le-state .badge").textContent()).toBe("not enabled");
    await page.locator("#tls-email").fill("ops@example.com");
    await page.getByRole("button", { name: "Enable" }).click();
    await expect.poll(() => page.locator("#enable-result .live-end").textContent(), { timeout: 60_000 }).toContain("Let's Encrypt enabled for blog.v2");
    expect(await page.locator("#enable-result pre.live").textContent()).toContain("Certificate retrieved successfully.");
    await expect.poll(() => page.locator("#tls-status .le-state .badge").textContent(), { timeout: 30_000 }).toBe("active");
    expect(await page.locator("#tls-status .expiry").textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((89|90) days left\)$/);
    expect(await page.locator("#tls-status .renewal").textContent()).toMatch(/^in (59d, 23h, \d+m(, \d+s)?|60d)$/); // zero parts left out, as the plugin prints
    await page.reload();
    expect(await page.locator("#tls-status .le-state .badge").textContent()).toBe("active");
    expect(await page.locator("#tls-status .le-email").textContent()).toBe("ops@example.com");
    expect(await page.locator("#tls-email").inputValue()).toBe("ops@example.com");
    await screenshot(page, "app-tls");
    expect(commandsIn(stack.relays.demo!.db, "dokku letsencrypt:set blog.v2 email ops@example.com")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("follows logs live, pauses and resumes, and the relay stops `dokku logs -t` when the page is left", async () => {
    const db = stack.relays.demo!.db;
    const argv = "dokku logs api -n 100 -t";
    const { page, problems } = await open(app("api", "/logs"));
    const lines = page.locator("#log-lines span");
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBeGreaterThan(100);
    const first = await lines.count();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(first + 1); // live lines keep coming
    expect(await page.locator("#log-lines").textContent()).toMatch(/app\[web\.\d\]: request \d+ handled/);
    expect(await page.locator("#log-lines").textContent()).not.toContain("\u001b[");
    await screenshot(page, "app-logs");

    await page.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => page.locator("#log-tail").textContent()).toContain("Paused");
    await until("the first tail to be stopped", () => commandsIn(db, argv).find((e) => e.outcome === "cancelled"));
    const paused = await lines.count();
    await new Promise((r) => setTimeout(r, 1200));
    expect(await lines.count()).toBe(paused);

    await page.getByRole("button", { name: "Clear" }).click();
    expect(await lines.count()).toBe(0);
    await page.locator("#log-process").selectOption("worker");
    await page.getByRole("button", { name: "Start" }).click();
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBeGreaterThan(100);
    expect(await page.locator("#log-lines").textContent()).not.toContain("app[web.");
    await page.goto(`${stack.url}${app("api")}`);
    const tails = await until("both tails to end", () => {
      const t = [...commandsIn(db, argv), ...commandsIn(db, `${argv} -p worker`)];
      return t.length === 2 && t.every((e) => e.outcome !== "running") ? t : null;
    });
    expect(tails.map((e) => e.outcome)).toEqual(["cancelled", "cancelled"]);
    expect(problems).toEqual([]);
  });

  it("deploys from a Git repository with live output, toggles zero-downtime checks, sets the build and its buildpacks, and removes a stale deploy lock", async () => {
    const { page, problems } = await open(app("staging", "/deploy"));
    expect(await page.locator("#deploy-state").textContent()).toContain("not deployed yet");
    await page.getByLabel("Repository", { exact: true }).fill("https://github.com/dokku/smoke-test-app.git");
    await page.getByLabel(/Branch, tag or commit/).fill("main");
    await page.getByRole("button", { name: "Fetch and deploy" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Fetch and deploy" }).isDisabled()).toBe(true);
    await expect
      .poll(() => page.locator("#sync-result .live-end").textContent(), { timeout: 60_000 })
      .toContain("Deployed staging from https://github.com/dokku/smoke-test-app.git at main");
    const output = await page.locator("#sync-result pre.live").textContent();
    expect(output).toContain("-----> Cloning staging from https://github.com/dokku/smoke-test-app.git#main");
    expect(output).toContain("-----> Deploying web (count=1)");
    await expect
      .poll(() => page.locator("#deploy-state").textContent(), { timeout: 10_000 })
      .toMatch(/git-sync: https:\/\/github\.com\/dokku\/smoke-test-app\.git#[0-9a-f]{40}/);
    await screenshot(page, "app-deploy");
    expect(commandsIn(stack.relays.demo!.db, "dokku git:sync --build staging https://github.com/dokku/smoke-test-app.git main")).toHaveLength(1);

    await page.getByRole("button", { name: "Skip checks" }).click(); // behind a confirm, accepted
    await expect.poll(() => page.locator("#deploy-result").textContent(), { timeout: 30_000 }).toContain("Zero-downtime checks are skipped");
    await expect.poll(() => page.locator("#deploy-state dd[data-checks]").getAttribute("data-checks")).toBe("skipped");
    await page.getByRole("button", { name: "Turn checks on" }).click();
    await expect.poll(() => page.locator("#deploy-state dd[data-checks]").getAttribute("data-checks")).toBe("enabled");

    // build settings: one form each; a reload shows what was saved
    await page.getByLabel("Builder", { exact: true }).selectOption("dockerfile");
    await page.getByRole("button", { name: "Save builder" }).click();
    await expect.poll(() => page.locator("#build-result").textContent(), { timeout: 30_000 }).toContain("Builder is dockerfile");
    // Every change is a job whose output reaches its viewer live: builder:set's too, once (not again in the summary)
    expect(await page.locator("#build-result pre.live").textContent()).toBe("=====> Setting selected to dockerfile\n");
    expect(await page.locator("#build-result .live-end pre").count()).toBe(0);
    await page.getByLabel("Build directory", { exact: true }).fill("apps/web");
    await page.getByRole("button", { name: "Save directory" }).click();
    await expect.poll(() => page.locator("#build-result").textContent(), { timeout: 30_000 }).toContain("Build directory is apps/web");
    await page.reload();
    expect(await page.getByLabel("Build directory", { exact: true }).inputValue()).toBe("apps/web");
    expect(await page.getByLabel("Builder", { exact: true }).inputValue()).toBe("dockerfile");
    await page.getByLabel("Deploy branch", { exact: true }).fill("");
    await page.getByRole("button", { name: "Save branch" }).click();
    await expect.poll(() => page.locator("#build-result").textContent(), { timeout: 30_000 }).toContain("Deploy branch follows the global one");
    expect(commandsIn(stack.relays.demo!.db, "dokku builder:set staging -- build-dir apps/web")).toHaveLength(1);
    expect(commandsIn(stack.relays.demo!.db, "dokku git:set staging deploy-branch")).toHaveLength(1);

    // buildpacks: added in order (or at a position), removed one by one, cleared
    const buildpacks = () => page.locator("#buildpack-list li").evaluateAll((els) => els.map((e) => e.getAttribute("data-buildpack")));
    await page.getByLabel("Buildpack", { exact: true }).fill("heroku/nodejs");
    await page.getByRole("button", { name: "Add buildpack" }).click();
    await expect.poll(buildpacks, { timeout: 30_000 }).toEqual(["heroku/nodejs"]);
    await page.getByLabel("Buildpack", { exact: true }).fill("https://github.com/heroku/heroku-buildpack-python.git");
    await page.getByLabel("Position", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Add buildpack" }).click();
    await expect.poll(buildpacks, { timeout: 30_000 }).toEqual(["https://github.com/heroku/heroku-buildpack-python.git", "heroku/nodejs"]);
    await screenshot(page, "app-deploy-build");
    await page.getByRole("button", { name: "Remove heroku/nodejs" }).click();
    await expect.poll(buildpacks, { timeout: 30_000 }).toEqual(["https://github.com/heroku/heroku-buildpack-python.git"]);
    await page.getByRole("button", { name: "Clear all" }).click();
    await expect.poll(() => page.locator("#buildpack-list").textContent(), { timeout: 30_000 }).toContain("None set");
    expect(commandsIn(stack.relays.demo!.db, "dokku buildpacks:add --index 1 staging -- https://github.com/heroku/heroku-buildpack-python.git")).toHaveLength(
      1,
    );

    await page.goto(`${stack.url}${app("queue-worker", "/deploy")}`);
    expect(await page.locator("#deploy-state").textContent()).toContain("held");
    await page.getByRole("button", { name: "Unlock" }).click();
    await expect.poll(() => page.locator("#deploy-result").textContent(), { timeout: 30_000 }).toContain("Unlocked queue-worker");
    expect(await page.locator("#deploy-result").textContent()).toContain("A deploy may be in progress."); // Dokku's warning, shown
    await expect.poll(() => page.locator("#deploy-state").textContent()).toContain("free");
    expect(await page.getByRole("button", { name: "Unlock" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("shows the detected port mappings, adds one and removes it", async () => {
    const { page, problems } = await open(app("api", "/domains"));
    expect(await page.locator("#port-list").textContent()).toContain("http:80:5000 https:443:5000"); // detected
    await page.getByLabel("Scheme").selectOption("tcp");
    await page.getByLabel("Host port").fill("2222");
    await page.getByLabel("Container port").fill("22");
    await page.getByRole("button", { name: "Add mapping" }).click();
    await expect.poll(() => page.locator("#ports-result").textContent(), { timeout: 30_000 }).toContain("Added tcp:2222:22");
    await expect.poll(() => page.locator('#port-list tr[data-mapping="tcp:2222:22"]').count()).toBe(1);
    await screenshot(page, "app-ports");
    await page.getByRole("button", { name: "Remove tcp:2222:22" }).click();
    await expect.poll(() => page.locator("#ports-result").textContent(), { timeout: 30_000 }).toContain("Removed tcp:2222:22");
    await expect.poll(() => page.locator('#port-list tr[data-mapping="tcp:2222:22"]').count()).toBe(0);
    expect(commandsIn(stack.relays.demo!.db, "dokku ports:add api -- tcp:2222:22")).toHaveLength(1);
    expect(commandsIn(stack.relays.demo!.db, "dokku ports:remove api -- tcp:2222:22")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("connects a live log tail even when the htmx script (with its SSE extension) arrives late", async () => {
    const page = await browser.context.newPage();
    const problems = watchConsole(page);
    // Routing turns the browser's cache off for this page, so the script is fetched again.
    await page.route(/\/vendor\/htmx-sse\.min\.js(\?|$)/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(`${stack.url}${app("api", "/logs")}`);
    await expect.poll(() => page.locator("#log-lines span:not(.mark)").count(), { timeout: 30_000 }).toBeGreaterThan(100);
    await page.close();
    expect(problems).toEqual([]);
  });

  it("filters the log lines, new ones included, and shows a failed deploy's logs", async () => {
    const { page, problems } = await open(app("api", "/logs"));
    const lines = page.locator("#log-lines span:not(.mark)");
    const shown = page.locator("#log-lines span:not(.mark):not([hidden])");
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBeGreaterThan(100);
    await page.getByLabel("Show only lines containing").fill("GET /HEALTH");
    const matching = await shown.count();
    expect(matching).toBeGreaterThan(5);
    expect(matching).toBeLessThan((await lines.count()) / 2);
    for (const text of await shown.allTextContents()) expect(text).toContain("GET /health");
    await expect.poll(() => page.locator("#log-filter-count").textContent()).toMatch(/^\d+ of \d+ lines$/);
    const total = await lines.count();
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBeGreaterThan(total + 7); // live lines, filtered as they come
    for (const text of await shown.allTextContents()) expect(text).toContain("GET /health");
    await screenshot(page, "app-logs-filtered");
    await page.getByLabel("Show only lines containing").fill("");
    expect(await shown.count()).toBe(await lines.count());
    expect(await page.locator("#log-filter-count").textContent()).toBe("");

    await page.getByRole("button", { name: "Show failed deploy logs" }).click();
    await expect.poll(() => page.locator("#failed-logs").textContent()).toContain("No failed containers found");
    await page.goto(`${stack.url}${app("queue-worker", "/logs")}`);
    await page.getByRole("button", { name: "Show failed deploy logs" }).click();
    await expect.poll(() => page.locator("#failed-logs pre").textContent()).toContain("Error: Cannot find module '/app/worker.js'");
    expect(await page.locator("#failed-logs pre").textContent()).not.toContain("\u001b[");
    expect(commandsIn(stack.relays.demo!.db, "dokku logs:failed queue-worker")).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it("renders a config value and a log line holding <script> as inert text", async () => {
    const probe = "<script>alert(1)</script>";
    const { page, problems, dialogs } = await open(app("queue-worker", "/config"));
    await page.locator("#set-key").fill("XSS_PROBE");
    await page.locator("#set-value").fill(probe);
    await page.getByLabel("Don't restart the app").check();
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => page.locator('#config-list tr[data-key="XSS_PROBE"]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole("button", { name: "Reveal XSS_PROBE" }).click();
    await expect.poll(() => page.locator('tr[data-key="XSS_PROBE"] code.revealed').textContent()).toBe(probe);
    expect(await page.locator("#config-list script").count()).toBe(0);

    // `dokku logs` printing the probe (on stderr, where a failing command prints)
    stack.relays.demo!.sim.faults({ logs: { exitCode: 1, stderr: probe } });
    try {
      await page.goto(`${stack.url}${app("api", "/logs")}`);
      await expect.poll(() => page.locator("#log-lines").textContent(), { timeout: 30_000 }).toContain(probe);
      await expect.poll(() => page.locator("#log-tail").textContent()).toContain("Failed");
      expect(await page.locator("#log-lines script, #log-tail script").count()).toBe(0);
      await screenshot(page, "app-logs-xss");
    } finally {
      stack.relays.demo!.sim.faults({});
    }
    // no alert (confirms are the page's own questions, accepted)
    expect(dialogs.filter((d) => !d.startsWith("confirm: "))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("destroys an app only when its name is typed again", async () => {
    const { page, problems } = await open(app("staging"));
    await page.getByLabel("Type staging to confirm").fill("stagin");
    await page.getByRole("button", { name: "Destroy staging" }).click();
    await expect
      .poll(() => page.locator("#destroy-result").textContent(), { timeout: 30_000 })
      .toContain("Type the app name, staging, exactly to confirm; nothing was destroyed.");
    await screenshot(page, "app-destroy-refused");
    expect(historyOf(stack.relays.demo!.db).filter((e) => e.argv.includes("apps:destroy"))).toHaveLength(0);

    await page.getByLabel("Type staging to confirm").fill("staging");
    await page.getByRole("button", { name: "Destroy staging" }).click();
    await expect.poll(() => page.locator("#destroy-result").textContent(), { timeout: 30_000 }).toContain("Destroyed staging.");
    await page.getByRole("link", { name: "Back to the apps on demo" }).click();
    await page.goto(`${stack.url}${app("staging")}`);
    expect(await page.locator("main").textContent()).toContain("App staging does not exist");
    // the refusal was a 400 (the browser logs it); the page that says the app is gone is streamed (200)
    expect(problems).toEqual([BAD_REQUEST]);
  });
});
