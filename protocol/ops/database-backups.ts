import { z } from "zod";
import { dbPlugin, serviceName } from "../names.js";
import { change, FRESH_MS, read } from "./spec.js";

/**
 * A datastore service's backups to S3 (subcommands/backup* and service_backup* in common-functions
 * of dokku/dokku-postgres, shared word for word by dokku-redis, -mysql, -mariadb and -mongo). The
 * plugin takes the AWS credentials and the encryption passphrase only as argv and keeps them in
 * files under the service's `backup/` and `backup-encryption/` folders; it has no command that
 * reads them back. They travel only inside the signed op; the relay masks them in everything it
 * records and sends (relay/catalog/database-backups.ts).
 */

const service = z.object({ plugin: dbPlugin, service: serviceName }).strict();

/** One token of a credential: printable ASCII without spaces; never starting with '-' (the plugin `echo`s it into a file). */
const token = (what: string, max: number) =>
  z
    .string()
    .min(1, `give ${what}`)
    .max(max, `${what} is at most ${max} characters`)
    .regex(/^[!-~]+$/, `${what} holds only printable characters without spaces`)
    .refine((s) => !s.startsWith("-"), `${what} may not start with '-'`);

/**
 * An S3 bucket, optionally with a key prefix (`bucket/path`): s3backup uploads to
 * `s3://$BUCKET_NAME/$BACKUP_NAME-$TIMESTAMP.tgz` (backup.sh of dokku/docker-s3backup). Bucket rules
 * are AWS's (3–63 of a-z, 0-9, '.', '-'); nothing that could end a cron line or split a word.
 */
export const s3Bucket = z
  .string()
  .max(255, "a bucket and prefix are at most 255 characters")
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._-]+)*\/?$/,
    "a bucket is 3–63 of a-z, 0-9, '.' and '-' (starting and ending with a letter or digit), optionally followed by /prefix",
  );

const CRON_FIELD = /^[0-9A-Za-z*/,-]+$/;
const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/**
 * A cron schedule as /etc/cron.d reads it: five fields of digits, names, `*`, `/`, `,` and `-`
 * separated by single spaces, or one of cron's @ macros. The plugin writes it unquoted at the start
 * of a root-owned cron.d line (service_backup_schedule in common-functions), so anything more (a
 * newline, a sixth field) would be a command run as root: refused here.
 */
export const cronSchedule = z
  .string()
  .max(100, "a schedule is at most 100 characters")
  .refine(
    (s) => {
      const fields = s.split(" ");
      return (fields.length === 1 && CRON_MACROS.includes(s)) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f)));
    },
    `a schedule is five cron fields separated by single spaces (e.g. "0 3 * * *"), or one of ${CRON_MACROS.join(", ")}`,
  );

/** backup-auth's arguments: positional in the plugin, so an endpoint needs a signature version, which needs a region. */
export const backupAuthArgs = z
  .object({
    plugin: dbPlugin,
    service: serviceName,
    accessKeyId: token("an access key id", 128),
    secretAccessKey: token("a secret access key", 256),
    region: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "a region holds only a-z, 0-9 and '-' (e.g. us-east-1)")
      .optional(),
    signatureVersion: z
      .string()
      .regex(/^[a-z0-9]{1,16}$/, "a signature version holds only a-z and 0-9 (e.g. s3v4)")
      .optional(),
    endpointUrl: z
      .string()
      .max(2048, "an endpoint URL is at most 2048 characters")
      .regex(/^https?:\/\/[!-~]+$/, "an endpoint URL starts with http:// or https:// and holds no spaces")
      .optional(),
  })
  .strict()
  .refine((a) => a.signatureVersion === undefined || a.region !== undefined, { message: "a signature version needs a region", path: ["region"] })
  .refine((a) => a.endpointUrl === undefined || a.signatureVersion !== undefined, {
    message: "an endpoint URL needs a signature version (s3v4 for most S3-compatible services)",
    path: ["signatureVersion"],
  });

const target = { plugin: dbPlugin, service: serviceName, bucket: s3Bucket, useIam: z.boolean().default(false) };

/** What `<p>:backup-schedule-cat` shows: the cron line the plugin wrote, read into its parts; null when none is scheduled. */
export const backupSchedule = z
  .object({
    /** The cron schedule ("0 3 * * *"). */
    schedule: z.string(),
    bucket: z.string(),
    useIam: z.boolean(),
    /** The line as the cron file holds it. */
    line: z.string(),
  })
  .nullable();
export type BackupSchedule = z.infer<typeof backupSchedule>;

/** What every backup change makes stale: the backups section, which shows the schedule (and is where each change is made). */
const BACKUPS = ["databases.backups"] as const;

/** A backup setting: a plugin command writing a file or a cron line, done in a minute, its output shown when it ends. */
const SETTING = { timeoutMs: 60_000, streams: false };

/**
 * A change to one service's backups, titled "`doing` <plugin> database <service>": host-scoped (a
 * service belongs to no one app) and reloading the backups section when it ends.
 */
function backupChange<A extends z.ZodType<{ plugin: string; service: string }>>(
  doing: string,
  args: A,
  run: { timeoutMs: number; streams: boolean } = SETTING,
) {
  return change({
    access: { scope: "host", area: "databases" },
    title: (a: { plugin: string; service: string }) => `${doing} ${a.plugin} database ${a.service}`,
    args,
    ...run,
    invalidates: BACKUPS,
  });
}

export const databaseBackupsOps = {
  "databases.backups": read({
    access: { scope: "host", area: "databases" },
    args: service,
    result: z.object({ schedule: backupSchedule }),
    timeoutMs: 30_000,
    freshMs: FRESH_MS,
  }),
  "databases.backup.auth": backupChange("Set backup credentials of", backupAuthArgs),
  "databases.backup.deauth": backupChange("Remove backup credentials of", service),
  // an export of the whole database, then its upload: streamed, for up to an hour
  "databases.backup.run": backupChange("Back up", z.object(target).strict(), { timeoutMs: 3_600_000, streams: true }),
  "databases.backup.schedule": backupChange("Schedule backups of", z.object({ ...target, schedule: cronSchedule }).strict()),
  "databases.backup.unschedule": backupChange("Unschedule backups of", service),
  "databases.backup.encrypt": backupChange(
    "Set the backup passphrase of",
    z.object({ plugin: dbPlugin, service: serviceName, passphrase: token("a passphrase", 1024) }).strict(),
  ),
  "databases.backup.unencrypt": backupChange("Remove the backup passphrase of", service),
} as const;
