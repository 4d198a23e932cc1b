import { Hono } from "hono";
import { z } from "zod";
import { dbPlugin, serviceName, type DbPlugin } from "../../protocol/names.js";
import type { HostEnv } from "../types.js";
import { failedSection } from "./answers.js";
import { valid } from "./input.js";

const service = valid("param", z.object({ plugin: dbPlugin, service: serviceName }));

/**
 * The file name each plugin's dump goes by: pg_dump's custom format (what pg_restore takes), SQL text
 * from mysqldump and mariadb-dump, mongodump's gzipped archive, redis' RDB file (service_export in
 * the functions of each plugin).
 */
const DUMP_EXTENSION: Record<DbPlugin, string> = { postgres: "dump", mysql: "sql", mariadb: "sql", mongo: "archive.gz", redis: "rdb" };

/** A database's dump: `GET …/export` downloads it (`POST …/import` replaces the data with one). */
export const dumpRoutes = new Hono<HostEnv>().get("/export", service, async (c) => {
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
});
