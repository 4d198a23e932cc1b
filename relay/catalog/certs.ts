import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandResult } from "../dokku/output.js";
import { redactConfig, type Redaction } from "../process/redact.js";
import type { CatalogEntry } from "./types.js";

/**
 * An app's own certificate: `certs:add APP CRT KEY` and `certs:remove APP` (plugins/certs/subcommands
 * in dokku/dokku). certs:add takes the two as file paths (is_file_import), checked readable, then
 * copied into the app's tls folder by fn-certs-set (plugins/certs/internal-functions); it takes a
 * tar on stdin only when no paths are given. Paths need no stdin and no shell: the relay writes
 * the pair into a folder of its own (0700, files 0600, readable by the `dokku` user the relay runs
 * as) and removes it whatever happened.
 */

/** The key's own lines, wherever a command might echo them, on top of the relay's PEM baseline. */
const keyRedaction = (key: string): Redaction => ({ output: (t) => redactConfig(t, { key }) });

export const certsAdd: CatalogEntry<"certs.add"> = {
  async run(ctx, { app, certificate, key }) {
    const dir = await mkdtemp(join(tmpdir(), "docklight-certs-"));
    try {
      const crt = join(dir, "server.crt");
      const keyFile = join(dir, "server.key");
      // wx: never follow or reuse a file someone else put there
      await writeFile(crt, certificate.endsWith("\n") ? certificate : `${certificate}\n`, { mode: 0o600, flag: "wx" });
      await writeFile(keyFile, key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600, flag: "wx" });
      return commandResult(await ctx.dokku(["certs:add", app, crt, keyFile], { redact: keyRedaction(key) }), app);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** `certs:remove APP`: fails with "An app-specific SSL endpoint is not defined" when there is no certificate (fn-certs-remove). */
export const certsRemove: CatalogEntry<"certs.remove"> = {
  async run(ctx, { app }) {
    return commandResult(await ctx.dokku(["certs:remove", app]), app);
  },
};
