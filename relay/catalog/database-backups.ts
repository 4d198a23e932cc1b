import type { BackupSchedule } from "../../protocol/ops/database-backups.js";
import { OpFailure } from "../dokku/failure.js";
import { flag, type Arg } from "../process/argv-guard.js";
import { backupRedaction, maskBackupEnv } from "../process/redact.js";
import { dbCommand, dbResult, failIfDbFailed } from "./databases.js";
import type { CatalogEntry } from "./types.js";

/**
 * A datastore service's S3 backups: `<p>:backup-auth`, `:backup-deauth`, `:backup`,
 * `:backup-schedule`, `:backup-schedule-cat`, `:backup-unschedule`, `:backup-set-encryption` and
 * `:backup-unset-encryption` (subcommands/ and service_backup* in common-functions of
 * dokku/dokku-postgres; the same files in dokku-redis, -mysql, -mariadb, -mongo). The plugin takes
 * credentials and the passphrase only as positional argv (no stdin, no file), so they are masked
 * by position in history and by value in whatever is printed (backupRedaction); a backup's own
 * output masks the `-e KEY=…` the plugin builds from the stored files (maskBackupEnv).
 */

/** `--use-iam` goes last: the plugin reads it as the optional positional after the bucket (USE_IAM_OPTIONAL_FLAG). */
const iam = (useIam: boolean): Arg[] => (useIam ? [flag("--use-iam")] : []);

/**
 * The cron line service_backup_schedule writes (unchanged since 2016 but for the trailing flag):
 * `SCHEDULE dokku DOKKU_BIN PREFIX:backup SERVICE BUCKET [--use-iam]`; the schedule is five fields
 * or one @ macro. Throws on any other line: a schedule that cannot be read is not "none".
 */
export function parseBackupCron(text: string): NonNullable<BackupSchedule> {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith("#"));
  if (!line) throw new Error("the cron file is empty");
  const words = line.split(/\s+/);
  const at = words.findIndex((w) => /^[a-z]+:backup$/.test(w));
  const schedule = words.slice(0, at - 2);
  const [svc, bucket, extra, ...more] = words.slice(at + 1);
  const fields = schedule.length === 5 || (schedule.length === 1 && schedule[0]!.startsWith("@"));
  if (
    at < 0 ||
    !fields ||
    words[at - 2] !== "dokku" ||
    !svc ||
    !bucket ||
    more.length > 0 ||
    (extra !== undefined && extra !== "--use-iam" && extra !== "-u")
  ) {
    throw new Error(`unexpected cron line "${line.length > 120 ? `${line.slice(0, 120)}…` : line}"`);
  }
  return { schedule: schedule.join(" "), bucket, useIam: extra !== undefined, line };
}

/** `<p>:backup-schedule-cat SVC`: the cron file, or ` !     There is no scheduled backup for SVC.` (exit 1) when there is none. */
export const databasesBackups: CatalogEntry<"databases.backups"> = {
  async run(ctx, { plugin, service }) {
    const res = await dbCommand(ctx, plugin, [`${plugin}:backup-schedule-cat`, service]);
    if (res.exitCode === 1 && /There is no scheduled backup for /.test(res.stderr)) return { schedule: null };
    failIfDbFailed(res);
    try {
      return { schedule: parseBackupCron(res.stdout) };
    } catch (e) {
      throw new OpFailure("dokku_error", `${plugin}:backup-schedule-cat printed a schedule the relay could not read (${(e as Error).message})`);
    }
  },
};

/**
 * `<p>:backup-auth SVC KEY_ID SECRET [REGION [SIGNATURE_VERSION [ENDPOINT_URL]]]`: prints nothing
 * when it works. service_backup_auth's `mkdir` (no -p, under set -e) fails with mkdir's own "File
 * exists" when credentials are already set: said plainly, with the way out.
 */
export const databasesBackupAuth: CatalogEntry<"databases.backup.auth"> = {
  async run(ctx, { plugin, service, accessKeyId, secretAccessKey, region, signatureVersion, endpointUrl }) {
    const optional = [region, signatureVersion, endpointUrl].filter((x): x is string => x !== undefined);
    const argv = [`${plugin}:backup-auth`, service, accessKeyId, secretAccessKey, ...optional];
    const res = await dbCommand(ctx, plugin, argv, { redact: backupRedaction({ accessKeyId, secretAccessKey }, [2, 3]) });
    if (res.exitCode === 1 && /^mkdir: .*\/backup'?: File exists$/m.test(res.stderr)) {
      throw new OpFailure("dokku_error", `backup credentials are already set for ${service}: remove them first, then set the new ones`);
    }
    return dbResult(res);
  },
};

export const databasesBackupDeauth: CatalogEntry<"databases.backup.deauth"> = {
  async run(ctx, { plugin, service }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:backup-deauth`, service]));
  },
};

/**
 * `<p>:backup SVC BUCKET [--use-iam]`: exports the service, then runs the s3backup image, whose
 * last line says `TIMESTAMP: The backup for PREFIX-SVC finished successfully.` (backup.sh of
 * dokku/docker-s3backup). Without stored credentials or --use-iam it fails "Missing
 * AWS_ACCESS_KEY_ID file".
 */
export const databasesBackupRun: CatalogEntry<"databases.backup.run"> = {
  async run(ctx, { plugin, service, bucket, useIam }) {
    const argv = [`${plugin}:backup`, service, bucket, ...iam(useIam)];
    return dbResult(await dbCommand(ctx, plugin, argv, { redact: { output: maskBackupEnv } }));
  },
};

/** `<p>:backup-schedule SVC SCHEDULE BUCKET [--use-iam]`: writes /etc/cron.d/dokku-PREFIX-SVC through sudo; prints nothing. */
export const databasesBackupSchedule: CatalogEntry<"databases.backup.schedule"> = {
  async run(ctx, { plugin, service, schedule, bucket, useIam }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:backup-schedule`, service, schedule, bucket, ...iam(useIam)]));
  },
};

/** `<p>:backup-unschedule SVC`: `rm -f` of the cron file, so it succeeds when none was scheduled too. */
export const databasesBackupUnschedule: CatalogEntry<"databases.backup.unschedule"> = {
  async run(ctx, { plugin, service }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:backup-unschedule`, service]));
  },
};

/** `<p>:backup-set-encryption SVC PASSPHRASE`: every later backup is GPG-encrypted with it (`.tgz.gpg`). */
export const databasesBackupEncrypt: CatalogEntry<"databases.backup.encrypt"> = {
  async run(ctx, { plugin, service, passphrase }) {
    const argv = [`${plugin}:backup-set-encryption`, service, passphrase];
    return dbResult(await dbCommand(ctx, plugin, argv, { redact: backupRedaction({ passphrase }, [2]) }));
  },
};

/** `<p>:backup-unset-encryption SVC`: `rm` of the passphrase file, which fails (rm's own message) when none was set. */
export const databasesBackupUnencrypt: CatalogEntry<"databases.backup.unencrypt"> = {
  async run(ctx, { plugin, service }) {
    return dbResult(await dbCommand(ctx, plugin, [`${plugin}:backup-unset-encryption`, service]));
  },
};
