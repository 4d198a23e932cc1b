import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fitsWidth, screenshot } from "../support/browser.js";
import { historyOf } from "../support/history.js";
import { useSignedInBrowser } from "../support/use-browser.js";

/**
 * A database's export and import (issue #23, item 5) in a real browser at 1280 px and 390 px: the
 * link downloads the very bytes the plugin's export writes; the form (the name typed again, then a
 * file) imports a dump and lands on the import's own page, which ends showing its outcome; history
 * keeps only sizes. Both dumps carry a marker that must never show in a page, in history or in
 * either process's log. No console error (a CSP violation among them), no sideways scrolling.
 */

const { stack, open } = useSignedInBrowser();

/** A dump of `size` bytes in the plugin's own form (pg_restore takes only "PGDMP" first) carrying `marker` twice. */
function dumpOf(plugin: string, size: number, marker: string): Buffer {
  const b = randomBytes(size);
  b.write(plugin === "postgres" ? "PGDMP" : "REDIS0011", 0, "latin1");
  b.write(marker, 100, "latin1");
  b.write(marker, size - marker.length - 100, "latin1");
  return b;
}

/** The marker as text and as each of its three base64 alignments (how it would look inside a frame). */
const markerForms = (marker: string) => [
  marker,
  ...[0, 1, 2].map((k) =>
    Buffer.from(`${"x".repeat(k)}${marker}`)
      .toString("base64")
      .slice(Math.ceil((k * 4) / 3) + 2, -4),
  ),
];

const dumpFile = (plugin: string, service: string) => join(stack.relays.demo!.sim.dir, "dumps", `${plugin}-${service}`);

/** What history kept of one command (`dokku …argv`): a row is written once the command ended. */
const row = (argv: string) => historyOf(stack.relays.demo!.db).find((r) => r.argv.join(" ") === `dokku ${argv}`);

/** Follows the import's page to its end: the running page says it ended and links its record (or it had ended on arrival). */
async function importRecord(page: Page): Promise<string> {
  await expect.poll(() => page.locator(".op-ended, section.op-command").count(), { timeout: 60_000 }).toBeGreaterThan(0);
  if ((await page.locator(".op-ended").count()) > 0) await page.locator(".op-ended").getByRole("link", { name: "Its record" }).click();
  await expect.poll(() => page.locator("section.op-command").count()).toBeGreaterThan(0);
  return (await page.locator("main").textContent()) ?? "";
}

describe("database export and import", () => {
  for (const width of [1280, 390] as const) {
    it(`${width} px: downloads the dump the plugin writes; imports a file after the name is typed; history keeps sizes, the dumps' markers show nowhere`, async () => {
      const [plugin, service, ext] = width === 1280 ? ["postgres", "main-db", "dump"] : ["redis", "cache", "rdb"];
      const marker = `DUMP-MARKER-${randomBytes(8).toString("hex")}`;
      const stored = dumpOf(plugin, 300_000 + width, marker);
      mkdirSync(join(stack.relays.demo!.sim.dir, "dumps"), { recursive: true });
      writeFileSync(dumpFile(plugin, service), stored);

      const { page, problems } = await open(`/hosts/demo/databases/${plugin}/${service}`, width);
      await expect.poll(() => page.getByRole("heading", { name: "Export and import" }).isVisible()).toBe(true);
      await fitsWidth(page, width);

      // the download: the bytes the simulator's export wrote, under a dated name of the plugin's kind
      const downloaded = page.waitForEvent("download");
      await page.getByRole("link", { name: `Download a dump of ${service}` }).click();
      const download = await downloaded;
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${service}-\\d{4}-\\d\\d-\\d\\d\\.${ext}$`));
      expect(await download.failure()).toBeNull();
      expect(readFileSync((await download.path())!).equals(stored)).toBe(true);
      await expect.poll(() => row(`${plugin}:export ${service}`)?.stdout).toBe(`export of ${service}, ${stored.length} bytes`);

      // the import: the name typed again, then the file; the form lands on the import's own page
      const upload = dumpOf(plugin, 200_000 + width, marker);
      const section = page.locator("#db-dump");
      await section.getByLabel(`Type ${service} to confirm the import`).fill(service);
      await section.getByLabel("Dump file (at most 90 MiB)").setInputFiles({ name: `${service}.${ext}`, mimeType: "application/octet-stream", buffer: upload });
      await fitsWidth(page, width);
      // and no field spills out of the import's box (a file input is as wide as its file's name)
      const spilled = await section.locator(".danger-zone").evaluate((zone) => {
        const edge = zone.getBoundingClientRect().right - parseFloat(getComputedStyle(zone).paddingRight);
        return [...zone.querySelectorAll("input, button")].filter((e) => e.getBoundingClientRect().right > edge + 0.5).map((e) => e.id || e.textContent);
      });
      expect(spilled).toEqual([]);
      await screenshot(page, `database-dumps-${width}`);
      await section.getByRole("button", { name: `Import into ${service}` }).click();
      await page.waitForURL(/\/hosts\/demo\/ops\/[0-9a-f-]{36}$/);
      const record = await importRecord(page);
      expect(record).toContain(`${plugin}:import ${service}`);
      expect(record).toContain(`import of ${service}, ${upload.length} bytes`);
      expect(await page.locator(`section.op-command[aria-label="dokku ${plugin}:import ${service}"] .badge`).textContent()).toBe("ok 0");
      await fitsWidth(page, width);
      // the service holds the uploaded dump now, and history kept only its size
      expect(readFileSync(dumpFile(plugin, service)).equals(upload)).toBe(true);
      expect(row(`${plugin}:import ${service}`)).toMatchObject({ outcome: "ok", stdout: `import of ${service}, ${upload.length} bytes` });

      // the markers: in no page, no history (its rows, its page, its export) and no log
      const pages: string[] = [await page.content()];
      for (const path of [`/hosts/demo/databases/${plugin}/${service}`, "/hosts/demo/history", "/hosts/demo/history/export.json"]) {
        const res = await page.request.get(`${stack.url}${path}`);
        expect(res.status(), path).toBe(200);
        pages.push(await res.text());
      }
      const texts = [...pages, JSON.stringify(historyOf(stack.relays.demo!.db)), stack.relays.demo!.proc.output(), stack.edge.output()];
      for (const t of texts) for (const form of markerForms(marker)) expect(t).not.toContain(form);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
