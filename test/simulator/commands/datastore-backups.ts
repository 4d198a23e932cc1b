import { createHash } from "node:crypto";
import type { Command } from "../context.js";
import { err, Exit, fail, out } from "../output.js";
import { updateState, type SimBackup } from "../state.js";
import { requireService } from "./datastores.js";

/**
 * The datastore plugins' backup commands, as subcommands/backup* and service_backup* in
 * common-functions of dokku/dokku-postgres print them (dokku-redis, -mysql, -mariadb and -mongo
 * carry the same files): each checks its arguments, then verify_service_name, then acts. Most print
 * nothing; `backup` prints the s3backup container's last line (backup.sh of dokku/docker-s3backup).
 * Secrets are kept by hash only.
 */
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const root = (plugin: string, svc: string) => `/var/lib/dokku/services/${plugin}/${svc}`;

function setBackup(plugin: string, svc: string, change: (b: SimBackup) => void): void {
  updateState((s) => {
    const service = s.services![plugin]![svc]!;
    change((service.backup ??= {}));
  });
}

/** The `YYYY-mm-dd-HH-MM-SS` stamp s3backup names its upload by (`date -u "+%Y-%m-%d-%H-%M-%S"`). */
function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[T:]/g, "-");
}

/** A shell tool's own error under `set -eo pipefail`: its message as it printed it (no ` !     `), exit 1. */
function shellFail(message: string): never {
  err(message);
  throw new Exit(1);
}

export function backupCommands(plugin: string): Record<string, Command> {
  const p = (c: string) => `${plugin}:${c}`;
  const iamFlag = (f: string | undefined) => f === undefined || f === "--use-iam" || f === "-u";
  return {
    [p("backup-auth")]: ({ args }) => {
      const [name, keyId, secret, region, signature, endpoint] = args;
      if (!name) fail("Please specify a valid name for the service");
      if (!keyId) fail("Please specify an aws access key id");
      if (!secret) fail("Please specify an aws secret access key");
      const [svc, service] = requireService(plugin, name);
      // service_backup_auth: `mkdir "$SERVICE_BACKUP_ROOT"` (no -p) under set -e
      if (service.backup?.authSha256) shellFail(`mkdir: cannot create directory '${root(plugin, svc)}/backup': File exists`);
      // region, signature version and endpoint go to files of their own, unread here
      void [region, signature, endpoint];
      setBackup(plugin, svc, (b) => (b.authSha256 = sha(`${keyId}:${secret}`)));
    },
    [p("backup-deauth")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [svc] = requireService(plugin, args[0]);
      setBackup(plugin, svc, (b) => delete b.authSha256);
    },
    [p("backup")]: ({ args }) => {
      const [name, bucket, flag] = args;
      if (!name) fail("Please specify a valid name for the service");
      if (!bucket) fail("Please specify an aws bucket for the backup");
      const [svc, service] = requireService(plugin, name);
      if (flag === undefined) {
        if (!service.backup?.authSha256) fail("Missing AWS_ACCESS_KEY_ID file");
      } else if (!iamFlag(flag)) fail("Provide AWS credentials or use the --use-iam flag");
      if (service.status !== "running") fail("Service container is not running");
      out(`${stamp()}: The backup for ${plugin}-${svc} finished successfully.`);
    },
    [p("backup-schedule")]: ({ args }) => {
      const [name, schedule, bucket, flag] = args;
      if (!name) fail("Please specify a valid name for the service");
      if (!schedule) fail("Please specify a schedule for the backup");
      if (!bucket) fail("Please specify an aws bucket for the backup");
      const [svc] = requireService(plugin, name);
      if (!iamFlag(flag)) fail("Invalid flag provided, only '--use-iam' allowed");
      // echo "${SCHEDULE} dokku ${DOKKU_BIN} ${PLUGIN_COMMAND_PREFIX}:backup ${SERVICE} ${BUCKET_NAME} ${USE_IAM_OPTIONAL_FLAG}"
      setBackup(plugin, svc, (b) => (b.cron = `${schedule} dokku /usr/bin/dokku ${plugin}:backup ${svc} ${bucket} ${flag ?? ""}`));
    },
    [p("backup-schedule-cat")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [svc, service] = requireService(plugin, args[0]);
      if (!service.backup?.cron) fail(`There is no scheduled backup for ${svc}.`);
      out(service.backup.cron);
    },
    [p("backup-unschedule")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [svc] = requireService(plugin, args[0]);
      setBackup(plugin, svc, (b) => delete b.cron);
    },
    [p("backup-set-encryption")]: ({ args }) => {
      const [name, passphrase] = args;
      if (!name) fail("Please specify a valid name for the service");
      if (!passphrase) fail("Please specify a GPG backup passphrase");
      const [svc] = requireService(plugin, name);
      setBackup(plugin, svc, (b) => (b.encryptionSha256 = sha(passphrase)));
    },
    [p("backup-unset-encryption")]: ({ args }) => {
      if (!args[0]) fail("Please specify a valid name for the service");
      const [svc, service] = requireService(plugin, args[0]);
      if (!service.backup?.encryptionSha256) {
        shellFail(`rm: cannot remove '${root(plugin, svc)}/backup-encryption//ENCRYPTION_KEY': No such file or directory`);
      }
      setBackup(plugin, svc, (b) => delete b.encryptionSha256);
    },
  };
}
