import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished, pipeline } from "node:stream/promises";
import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";
import type { DbPlugin } from "../../protocol/names.js";
import { bangLines } from "../dokku/output.js";
import { OpFailure } from "../dokku/failure.js";
import { dbCommand, failIfDbFailed } from "./databases.js";
import type { CatalogEntry } from "./types.js";

/**
 * A datastore service's dump (service_export and service_import in the functions of
 * dokku/dokku-postgres and its siblings, dokku-mysql, dokku-mariadb, dokku-mongo, dokku-redis):
 * `<plugin>:export SERVICE` runs the database's dump tool in its container (pg_dump -Fc,
 * mysqldump, mariadb-dump, mongodump --gzip --archive, or the redis dump.rdb after a BGSAVE) and
 * writes the dump to stdout; `<plugin>:import SERVICE` feeds stdin to its restore tool (pg_restore
 * -cO --if-exists, mysql, mariadb, mongorestore --gzip --archive, or replaces dump.rdb and
 * restarts redis). Both first check the service (verify_service_name: "<Label> service X does not
 * exist", exit 1).
 */

/**
 * Each plugin's first tagged release (April 2018), the first with `<plugin>:exists` (subcommands/exists
 * in its repository, added that winter while every plugin.toml still said 1.0.0); export and import
 * are older (2015), so only the import's check of the service needs it.
 */
const EXISTS_SINCE: Record<DbPlugin, string> = { postgres: "1.1.0", mysql: "1.1.0", mariadb: "1.0.1", mongo: "1.1.0", redis: "1.1.0" };

/** Only the plugin's own ` !     ` lines: what the restore tool prints can quote the dump's rows (COPY's context, a failing INSERT). */
function pluginLinesOnly(text: string): string {
  return bangLines(text)
    .map((l) => ` !     ${l}`)
    .join("\n");
}

export const databasesExport: CatalogEntry<"databases.export"> = {
  async run(ctx, { plugin, service }) {
    const out = ctx.bytesOut();
    try {
      const res = await dbCommand(ctx, plugin, [`${plugin}:export`, service], {
        stdoutTo: out,
        summary: (bytes) => `export of ${service}, ${bytes} bytes`,
      });
      // a download that stalled or a link that dropped stopped the command: say which
      if (out.errored) throw new OpFailure("cancelled", out.errored.message);
      failIfDbFailed(res);
      out.end();
      await finished(out);
      return { bytes: out.bytes };
    } finally {
      out.destroy();
    }
  },
};

export const databasesImport: CatalogEntry<"databases.import"> = {
  async run(ctx, { plugin, service }) {
    // A missing service is said before the dump is asked for.
    failIfDbFailed(await dbCommand(ctx, plugin, [`${plugin}:exists`, service], { live: false }, EXISTS_SINCE[plugin]));
    // The whole dump first, into a file only this relay's user reads; an upload that breaks off imports nothing.
    const dir = await mkdtemp(join(tmpdir(), "docklight-dump-"));
    const file = join(dir, "dump");
    const upload = ctx.bytesIn(DUMP_UPLOAD_MAX_BYTES);
    try {
      try {
        await pipeline(upload, createWriteStream(file, { mode: 0o600, flags: "wx" }), { signal: ctx.signal });
      } catch (e) {
        const why = ctx.signal.aborted ? "it was cancelled" : (e as Error).message;
        throw new OpFailure(ctx.signal.aborted ? "cancelled" : "bad_request", `the upload stopped after ${upload.bytes} bytes (${why}): nothing was imported`);
      }
      const bytes = upload.bytes;
      const res = await dbCommand(ctx, plugin, [`${plugin}:import`, service], {
        stdin: createReadStream(file),
        live: false,
        redact: { output: pluginLinesOnly },
        summary: () => `import of ${service}, ${bytes} bytes`,
      });
      if (res.exitCode !== 0 && res.stopped === null && bangLines(res.stderr).length === 0)
        throw new OpFailure(
          "dokku_error",
          `the import failed (exit ${res.exitCode}); the restore tool's own output is not kept, as it can quote the dump's rows: run dokku ${plugin}:import ${service} < DUMP on the host to read it`,
        );
      failIfDbFailed(res);
      return { output: `Imported ${bytes} bytes into ${service}.\n` };
    } finally {
      upload.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
