import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../relay/process/run.js";
import { screenshot } from "../support/browser.js";
import { until } from "../support/history.js";
import { installScript, layout, NODE_MODULES, simulatorSettings } from "../support/installer.js";
import { makeSim, type Sim } from "../support/sim.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * Enrolling a host from the Hosts page, as a user does: add it, run the one command the page shows
 * (here under a temp prefix, without systemd, with this checkout's better-sqlite3 and the
 * simulator's settings appended), watch the page turn connected and the new host list its apps;
 * rotate its token and see the old relay stopped and refused; remove it.
 */
const { stack, open } = useSignedInBrowser();
let sim: Sim;
let prefix: string;

beforeAll(() => {
  sim = makeSim();
  prefix = mkdtempSync(join(tmpdir(), "docklight-enrol-"));
});
// (after hooks run in reverse: the installed relay goes before the fixture stops the stack)
afterAll(async () => {
  if (prefix && existsSync(layout(prefix).pidFile)) await installScript(["--prefix", prefix, "--uninstall", "--purge"]);
  sim?.cleanup();
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

/** Whether `pid` is a live process (a zombie's cmdline is empty). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").length > 0;
  } catch {
    return false;
  }
}

/** The command exactly as shown, with the test's flags appended (single-quoted for the shell). */
function runShown(command: string) {
  const extra = ["--prefix", prefix, "--no-systemd", "--modules-from", NODE_MODULES, ...simulatorSettings(sim)];
  const quoted = extra.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return run("sh", ["-c", `${command} ${quoted}`], { timeoutMs: 180_000 });
}

describe("the Hosts page", () => {
  it("adds a host with one command, waits for it, rotates its token (the old relay is refused) and removes it", { timeout: 400_000 }, async () => {
    const { page, problems } = await open("/hosts");
    await page.getByLabel("Name", { exact: true }).fill("Edge box");
    await page.getByRole("button", { name: "Add host" }).click();
    await page.waitForURL(`${stack.url}/hosts`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Host Edge box added");
    const command = (await page.locator("pre.install-command code").textContent())!.trim();
    expect(command).toMatch(
      new RegExp(`^curl -fsSL ${stack.url}/install\\.sh \\| sh -s -- --url ${stack.url} --host edge-box --code \\S{24} --key \\S{43} --sha256 [0-9a-f]{64}$`),
    );
    expect(await page.locator("#link-wait").textContent()).toContain("Waiting for Edge box's relay");
    await screenshot(page, "host-added");

    // The page turns connected by itself while the command runs.
    const installed = runShown(command);
    await expect.poll(() => page.locator("#link-wait .badge").textContent(), { timeout: 180_000, interval: 1000 }).toBe("connected");
    const res = await installed;
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`is connected to ${stack.url} as host edge-box`);
    await screenshot(page, "host-connected");

    await page.getByRole("link", { name: "Open its dashboard" }).click();
    await page.waitForURL(`${stack.url}/hosts/edge-box`);
    await expect.poll(() => page.locator("table.apps tbody tr").count()).toBe(4);

    // Rotate: the page asks first, then shows the new command; the old relay stops, told why.
    const p = layout(prefix);
    const pid = Number(readFileSync(p.pidFile, "utf8"));
    await page.goto(`${stack.url}/hosts`);
    await page.locator('tr[data-host="edge-box"]').getByRole("link", { name: "Rotate token" }).click();
    await page.getByRole("button", { name: "Rotate token" }).click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("New token for Edge box");
    const rotated = (await page.locator("pre.install-command code").textContent())!.trim();
    expect(rotated).not.toBe(command);
    await until("the old relay to stop", () => !running(pid));
    expect(readFileSync(p.log, "utf8")).toContain("the edge revoked this relay: this host's relay token was rotated on the edge");
    expect(JSON.parse(readFileSync(join(p.state, "relay.status.json"), "utf8"))).toMatchObject({ state: "refused" });

    // Started again with the old token, it is refused (exit 78), and the Hosts page says so.
    const again = await run(p.wrapper, ["run"], { timeoutMs: 60_000 });
    expect(again.exitCode).toBe(78);
    expect(again.stdout).toContain("the edge refused this relay's token (HTTP 401)");
    await page.goto(`${stack.url}/hosts`);
    const row = page.locator('tr[data-host="edge-box"]');
    expect(await row.locator(".badge.down").textContent()).toBe("offline");
    expect(await row.locator(".refused").textContent()).toMatch(/^a relay for this host was refused at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: bad token$/);
    await screenshot(page, "host-refused");

    // Remove: asked first; then the host is gone, and so are its pages.
    await row.getByRole("link", { name: "Remove" }).click();
    await page.getByRole("button", { name: "Remove host" }).click();
    await page.waitForURL(`${stack.url}/hosts`);
    expect(await page.locator('tr[data-host="edge-box"]').count()).toBe(0);
    expect(await page.locator('tr[data-host="demo"]').count()).toBe(1);
    expect(problems).toEqual([]);
    expect((await page.goto(`${stack.url}/hosts/edge-box`))?.status()).toBe(404);
  });
});
