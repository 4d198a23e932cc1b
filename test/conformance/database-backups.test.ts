import { describe, expect, it } from "vitest";
import { BackupsSection } from "../../worker/pages/database-backups.js";
import { page, replay, replayError } from "./harness.js";

/** The datastore plugins' backup commands replayed from recordings (fixtures/datastore-backups.json, each naming its source). */
describe("database backups", () => {
  const pg = { plugin: "postgres", service: "main-db" } as const;

  it("the schedule the plugin wrote is read into its parts and shown with Unschedule; none is 'no backup scheduled'", async () => {
    const r = await replay("databases.backups", pg, "0.35.20", ["postgres-backup-schedule-cat/scheduled"]);
    expect(r.schedule).toEqual({
      schedule: "0 3 * * *",
      bucket: "my-backups/pg",
      useIam: true,
      line: "0 3 * * * dokku /usr/bin/dokku postgres:backup main-db my-backups/pg --use-iam",
    });
    const text = page(BackupsSection({ may: () => true, host: "demo", ...pg, backups: { kind: "ok", result: r, ageMs: 0 } as never }));
    expect(text).toContain("Schedule (cron, the host's time) 0 3 * * * Bucket my-backups/pg Credentials the server's IAM role");
    expect(text).toContain("Unschedule");
    const none = await replay("databases.backups", pg, "0.35.20", ["postgres-backup-schedule-cat/none"]);
    expect(none).toEqual({ schedule: null });
    expect(page(BackupsSection({ may: () => true, host: "demo", ...pg, backups: { kind: "ok", result: none, ageMs: 0 } as never }))).toContain(
      "No backup is scheduled.",
    );
    expect(await replayError("databases.backups", { ...pg, service: "nope" }, "0.35.20", ["postgres-backup-schedule-cat/missing-service"])).toMatchObject({
      code: "not_found",
      message: "Postgres service nope does not exist",
    });
  });

  it("credentials: stored silently; stored twice is said with the way out", async () => {
    const creds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    expect(await replay("databases.backup.auth", { ...pg, ...creds, region: "eu-west-1" }, "0.35.20", ["postgres-backup-auth/ok"])).toEqual({ output: "" });
    expect(await replayError("databases.backup.auth", { ...pg, ...creds }, "0.35.20", ["postgres-backup-auth/exists"])).toMatchObject({
      code: "dokku_error",
      message: "backup credentials are already set for main-db: remove them first, then set the new ones",
    });
  });

  it("a backup: s3backup's line; without credentials the plugin's message; an unimplemented command is unavailable", async () => {
    const ok = await replay("databases.backup.run", { ...pg, bucket: "my-backups", useIam: true }, "0.35.20", ["postgres-backup/ok"]);
    expect(ok.output).toBe("2026-12-06-03-00-01: The backup for postgres-main-db finished successfully.\n");
    expect(await replayError("databases.backup.run", { ...pg, bucket: "my-backups" }, "0.35.20", ["postgres-backup/no-credentials"])).toMatchObject({
      code: "dokku_error",
      message: "Missing AWS_ACCESS_KEY_ID file",
    });
    expect(await replayError("databases.backup.run", { ...pg, bucket: "my-backups" }, "0.35.20", ["postgres-backup/not-implemented"])).toMatchObject({
      code: "unavailable",
      message: "the installed postgres plugin does not implement postgres:backup",
    });
  });

  it("encryption and unschedule print nothing", async () => {
    expect(await replay("databases.backup.encrypt", { ...pg, passphrase: "correct-horse-battery" }, "0.35.20", ["postgres-backup-set-encryption/ok"])).toEqual({
      output: "",
    });
    expect(await replay("databases.backup.unschedule", pg, "0.35.20", ["postgres-backup-unschedule/ok"])).toEqual({ output: "" });
  });
});
