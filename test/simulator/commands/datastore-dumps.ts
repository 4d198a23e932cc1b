import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Command } from "../context.js";
import { err, Exit, fail } from "../output.js";
import { stateDir } from "../state.js";
import { requireService } from "./datastores.js";

/**
 * `<plugin>:export` and `<plugin>:import` (subcommands/export and subcommands/import, service_export
 * and service_import in the functions of dokku/dokku-postgres and its siblings). The dump is kept as
 * a file per service in the state directory; a service never imported into exports a small dump in
 * its tool's own format. What each tool prints besides the dump is printed as it does: mysqldump's
 * and mysql's password warning, redis-cli's for each call whose stdout is read (LASTSAVE, twice at
 * least), mongorestore's summary; pg_dump and pg_restore print nothing unless they fail, and
 * pg_restore refuses a file that is not a custom-format archive ("PGDMP" first).
 */

/**
 * mysqldump's dump of an empty database (its header and footer around no tables), as mysqldump
 * --default-character-set=utf8mb4 in the plugin's mysql image prints it; the footer's time is fixed.
 */
const MYSQLDUMP_EMPTY = (database: string) =>
  [
    "-- MySQL dump 10.13  Distrib 8.4.3, for Linux (x86_64)",
    "--",
    `-- Host: localhost    Database: ${database}`,
    "-- ------------------------------------------------------",
    "-- Server version\t8.4.3",
    "",
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
    "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;",
    "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;",
    "/*!50503 SET NAMES utf8mb4 */;",
    "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;",
    "/*!40103 SET TIME_ZONE='+00:00' */;",
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;",
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;",
    "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;",
    "",
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;",
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;",
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;",
    "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;",
    "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;",
    "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;",
    "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;",
    "",
    "-- Dump completed on 2026-12-06 12:00:00",
    "",
  ].join("\n");

/** A dump of an empty database `database` as each tool starts one (get_database_name: the service's name). */
const EMPTY: Record<string, (database: string) => string> = {
  postgres: () => "PGDMP\u0001\u000f\u0000\u0004\u0008\u0001\u0001\u0001\u0000",
  mysql: MYSQLDUMP_EMPTY,
  mariadb: (database) =>
    `-- MariaDB dump 10.19  Distrib 11.4.4-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: localhost    Database: ${database}\n-- Dump completed\n`,
  mongo: () => "\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u00ff",
  redis: () => "REDIS0011\u00fa\tredis-ver\u00057.4.1\u00ff",
};

const MYSQL_WARNING = (tool: string) => `${tool}: [Warning] Using a password on the command line interface can be insecure.`;
const REDIS_CLI_WARNING = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.";

function dumpFile(plugin: string, service: string): string {
  const dir = join(stateDir(), "dumps");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${plugin}-${service}`);
}

function startsWith(file: string, magic: string): boolean {
  const head = Buffer.alloc(magic.length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString("latin1") === magic;
}

export function dumpCommands(plugin: string): Record<string, Command> {
  return {
    [`${plugin}:export`]: async ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [name] = requireService(plugin, args[0]);
      if (plugin === "mysql") err(MYSQL_WARNING("mysqldump"));
      if (plugin === "redis") for (let i = 0; i < 2; i++) err(REDIS_CLI_WARNING);
      const file = dumpFile(plugin, name);
      if (!existsSync(file)) writeFileSync(file, Buffer.from(EMPTY[plugin]!(name), "latin1"));
      // the dump goes to stdout as the reader takes it, as docker exec's does
      await pipeline(createReadStream(file), process.stdout, { end: false });
    },
    [`${plugin}:import`]: async ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [name] = requireService(plugin, args[0]);
      if (process.stdin.isTTY) fail("No data provided on stdin.");
      const file = dumpFile(plugin, name);
      const incoming = `${file}.incoming`;
      await pipeline(process.stdin, createWriteStream(incoming));
      if (plugin === "postgres" && !startsWith(incoming, "PGDMP")) {
        rmSync(incoming);
        err("pg_restore: error: input file does not appear to be a valid archive");
        throw new Exit(1);
      }
      renameSync(incoming, file);
      if (plugin === "mysql") err(MYSQL_WARNING("mysql"));
      if (plugin === "mongo") err("2026-01-01T00:00:00.000+0000\t0 document(s) restored successfully. 0 document(s) failed to restore.");
    },
  };
}
