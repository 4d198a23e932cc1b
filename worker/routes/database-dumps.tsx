import { Hono } from "hono";
import { z } from "zod";
import { dbPlugin, serviceName, type DbPlugin } from "../../protocol/names.js";
import type { HostEnv } from "../types.js";
import { failedSection } from "./answers.js";
import { refuse, valid } from "./input.js";
import { DUMP_UPLOAD_MAX_BYTES } from "../../protocol/byte-frames.js";
import { boundaryOf, MultipartReader } from "./multipart.js";
import { opUrl } from "../urls.js";

const service = valid("param", z.object({ plugin: dbPlugin, service: serviceName }));

/**
 * The file name each plugin's dump goes by: pg_dump's custom format (what pg_restore takes), SQL text
 * from mysqldump and mariadb-dump, mongodump's gzipped archive, redis' RDB file (service_export in
 * the functions of each plugin).
 */
const DUMP_EXTENSION: Record<DbPlugin, string> = { postgres: "dump", mysql: "sql", mariadb: "sql", mongo: "archive.gz", redis: "rdb" };

/** Room for the form around the file (its confirm field, part headers, delimiters), in bytes. */
const FORM_SLACK = 64 * 1024;
const MIB = (n: number) => `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MiB`;

/** A database's dump: `GET …/export` downloads it, `POST …/import` replaces the data with one. */
export const dumpRoutes = new Hono<HostEnv>()
  .get("/export", service, async (c) => {
    const { host } = c.var;
    const { plugin, service } = c.req.valid("param");
    const download = await host.exportDump({ plugin, service });
    if (download.kind !== "ok") return failedSection(c, { title: `Export ${service}`, current: "databases", status: await host.status() }, download);
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(download.body, 200, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${service}-${stamp}.${DUMP_EXTENSION[plugin]}"`,
      "cache-control": "no-store",
      // a compressor would hold bytes back (and a gzipped archive gains nothing)
      "content-encoding": "identity",
    });
  })
  /**
   * A multipart form: `confirm` (the name typed again), then the `dump` file, read as it arrives and
   * passed on as the relay takes it. Refused before anything runs: a user the policy does not allow,
   * a body larger than the limit by its Content-Length, a name not repeated; one that passes the
   * limit on the way stops the import, which has not begun (the relay imports only a whole dump).
   */
  .post("/import", service, async (c) => {
    const { host } = c.var;
    const { plugin, service } = c.req.valid("param");
    const args = { plugin, service, confirm: service };
    const verdict = host.may("databases.import", args);
    if (!verdict.allowed) return refuse(c, `Not allowed: ${verdict.reason}. Nothing was sent to the host.`, 403);
    const length = Number(c.req.header("content-length") ?? NaN);
    if (length > DUMP_UPLOAD_MAX_BYTES + FORM_SLACK)
      return refuse(c, `The upload is ${MIB(length)}; an import takes a dump of at most ${MIB(DUMP_UPLOAD_MAX_BYTES)}. Nothing was sent to the host.`, 413);
    const boundary = boundaryOf(c.req.header("content-type"));
    const body = c.req.raw.body;
    if (!boundary || !body) return refuse(c, "Send the dump as the page's form does (multipart/form-data, the name, then the file).");
    const form = new MultipartReader(body, boundary);
    try {
      const first = await form.next();
      const confirm = first?.name === "confirm" ? await form.text(256) : null;
      if (confirm?.trim() !== service) {
        await form.cancel();
        return refuse(c, `Type the database's name, ${service}, exactly to confirm (before the file); nothing was imported.`);
      }
      const file = await form.next();
      if (file?.name !== "dump") {
        await form.cancel();
        return refuse(c, "Choose a dump file to import; nothing was imported.");
      }
      const started = await host.importDump(args, form.body());
      if (started.kind === "started") return c.redirect(opUrl(host.id, started.opId), 303);
      if (started.kind === "error" && started.code === "too_large") return refuse(c, `${started.message}.`, 413);
      return failedSection(c, { title: `Import into ${service}`, current: "databases", status: await host.status() }, started);
    } catch (e) {
      await form.cancel();
      return refuse(c, `The form could not be read (${(e as Error).message}); nothing was imported.`);
    }
  });
