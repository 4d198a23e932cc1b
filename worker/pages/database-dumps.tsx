import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";
import type { DbPlugin } from "../../protocol/names.js";
import { databaseUrl } from "../urls.js";
import type { May } from "./may.js";

/** What each plugin's export is (service_export in its functions), for the words beside the link. */
const DUMP_KIND: Record<DbPlugin, string> = {
  postgres: "pg_dump's custom format (pg_restore reads it)",
  mysql: "SQL text from mysqldump",
  mariadb: "SQL text from mariadb-dump",
  mongo: "a gzipped mongodump archive",
  redis: "redis' dump.rdb",
};

/** The upload limit in MiB, as the page says it. */
export const DUMP_LIMIT_MIB = DUMP_UPLOAD_MAX_BYTES / 1024 / 1024;

/**
 * A database's dump: a link that downloads it (`<p>:export`, streamed as it is written) and a form
 * that uploads one to replace its data (`<p>:import`), each shown only to whom the policy allows it
 * (export reveals the data; import is host-root). The form is a plain multipart post (no htmx: the
 * browser sends the file as it reads it) that lands on the import's own page; the name typed again
 * comes before the file, so the edge reads it before the dump.
 */
export function DumpSection({ host, plugin, service, may }: { host: string; plugin: DbPlugin; service: string; may: May }) {
  const canExport = may("databases.export", { plugin, service });
  const canImport = may("databases.import", { plugin, service, confirm: service });
  if (!canExport && !canImport) return null;
  return (
    <section id="db-dump" aria-labelledby="dump-h">
      <h2 id="dump-h">Export and import</h2>
      {canExport ? (
        <>
          <p class="muted">
            A dump of {service}: {DUMP_KIND[plugin]}. It downloads as the database writes it; history records only its size.
          </p>
          <p>
            <a href={databaseUrl(host, plugin, service, "/export")} data-dump="export">
              Download a dump of {service}
            </a>
          </p>
        </>
      ) : null}
      {canImport ? (
        <div class="danger-zone">
          <p>
            Import replaces the data in {service} with a dump's ({DUMP_KIND[plugin]}, at most {DUMP_LIMIT_MIB} MiB). The whole file reaches the host before
            anything is imported; what the database held is overwritten.
          </p>
          <form method="post" action={databaseUrl(host, plugin, service, "/import")} enctype="multipart/form-data" class="stack" aria-label="Import a dump">
            <label for="dump-confirm">Type {service} to confirm the import</label>
            <input id="dump-confirm" name="confirm" required maxlength={63} pattern={service} autocomplete="off" />
            <label for="dump-file">Dump file (at most {DUMP_LIMIT_MIB} MiB)</label>
            <input id="dump-file" name="dump" type="file" required />
            <button type="submit" class="danger">
              Import into {service}
            </button>
          </form>
        </div>
      ) : null}
    </section>
  );
}
