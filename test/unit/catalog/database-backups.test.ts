import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ops } from "../../../protocol/ops.js";
import { parseBackupCron } from "../../../relay/catalog/database-backups.js";
import { maskBackupEnv } from "../../../relay/process/redact.js";
import { defineMatrix, freshSims, type Case } from "../../support/ops-matrix.js";
import { fakeRelay, runOp, simRelay } from "../../support/ops.js";

const sim = freshSims();
const pg = { plugin: "postgres", service: "main-db" } as const;
const missing = { plugin: "postgres", service: "nope" } as const;
const missingMessage = /Postgres service nope does not exist/;
const creds = { accessKeyId: "AKIAEXAMPLE0000001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

/** The backup ops: happy path, missing service, the plugin's error, timeout (test/support/ops-matrix.ts). */
const cases: Case[] = [
  {
    op: "databases.backups",
    args: pg,
    command: "postgres:backup-schedule-cat",
    happy: async (ctx) => {
      expect(await runOp(ctx, "databases.backups", pg)).toEqual({ schedule: null });
      await runOp(ctx, "databases.backup.schedule", { ...pg, schedule: "0 3 * * *", bucket: "my-backups/pg" });
      expect(await runOp(ctx, "databases.backups", pg)).toEqual({
        schedule: {
          schedule: "0 3 * * *",
          bucket: "my-backups/pg",
          useIam: false,
          line: "0 3 * * * dokku /usr/bin/dokku postgres:backup main-db my-backups/pg",
        },
      });
    },
    missing,
    missingMessage,
  },
  {
    op: "databases.backup.auth",
    args: { ...pg, ...creds },
    command: "postgres:backup-auth",
    check: (r) => expect(r).toEqual({ output: "" }),
    missing: { ...missing, ...creds },
    missingMessage,
  },
  { op: "databases.backup.deauth", args: pg, command: "postgres:backup-deauth", check: (r) => expect(r).toEqual({ output: "" }), missing, missingMessage },
  {
    op: "databases.backup.run",
    args: { ...pg, bucket: "my-backups", useIam: true },
    command: "postgres:backup",
    check: (r) => expect(r.output).toMatch(/^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d: The backup for postgres-main-db finished successfully\.\n$/),
    missing: { ...missing, bucket: "my-backups" },
    missingMessage,
  },
  {
    op: "databases.backup.schedule",
    args: { ...pg, schedule: "@daily", bucket: "my-backups", useIam: true },
    command: "postgres:backup-schedule",
    check: (r) => expect(r).toEqual({ output: "" }),
    missing: { ...missing, schedule: "0 3 * * *", bucket: "my-backups" },
    missingMessage,
  },
  {
    op: "databases.backup.unschedule",
    args: pg,
    command: "postgres:backup-unschedule",
    check: (r) => expect(r).toEqual({ output: "" }),
    missing,
    missingMessage,
  },
  {
    op: "databases.backup.encrypt",
    args: { ...pg, passphrase: "correct-horse-battery" },
    command: "postgres:backup-set-encryption",
    check: (r) => expect(r).toEqual({ output: "" }),
    missing: { ...missing, passphrase: "correct-horse-battery" },
    missingMessage,
  },
  {
    op: "databases.backup.unencrypt",
    args: pg,
    command: "postgres:backup-unset-encryption",
    happy: async (ctx) => {
      await runOp(ctx, "databases.backup.encrypt", { ...pg, passphrase: "correct-horse-battery" });
      expect(await runOp(ctx, "databases.backup.unencrypt", pg)).toEqual({ output: "" });
      await expect(runOp(ctx, "databases.backup.unencrypt", pg)).rejects.toMatchObject({
        code: "dokku_error",
        message: "rm: cannot remove '/var/lib/dokku/services/postgres/main-db/backup-encryption//ENCRYPTION_KEY': No such file or directory",
      });
    },
    missing,
    missingMessage,
  },
];

defineMatrix(cases);

describe.concurrent("datastore backups on the simulator", () => {
  it("writes the plugin's positional argv: --use-iam last, the optional auth fields in order", async () => {
    const ctx = fakeRelay();
    await runOp(ctx, "databases.backup.run", { ...pg, bucket: "b-1", useIam: true });
    await runOp(ctx, "databases.backup.schedule", { ...pg, schedule: "0 3 * * *", bucket: "b-1/x" });
    await runOp(ctx, "databases.backup.auth", { ...pg, ...creds, region: "eu-west-1", signatureVersion: "s3v4", endpointUrl: "https://minio.example.com" });
    expect(ctx.argvs).toEqual([
      ["postgres:backup", "main-db", "b-1", "--use-iam"],
      ["postgres:backup-schedule", "main-db", "0 3 * * *", "b-1/x"],
      ["postgres:backup-auth", "main-db", creds.accessKeyId, creds.secretAccessKey, "eu-west-1", "s3v4", "https://minio.example.com"],
    ]);
  });

  it("a backup without credentials or IAM fails as the plugin does; with credentials it runs; set twice says to remove them first", async () => {
    const s = sim();
    await expect(runOp(simRelay(s), "databases.backup.run", { ...pg, bucket: "my-backups" })).rejects.toMatchObject({
      code: "dokku_error",
      message: "Missing AWS_ACCESS_KEY_ID file",
    });
    await runOp(simRelay(s), "databases.backup.auth", { ...pg, ...creds });
    expect((await runOp(simRelay(s), "databases.backup.run", { ...pg, bucket: "my-backups" })).output).toContain("finished successfully");
    await expect(runOp(simRelay(s), "databases.backup.auth", { ...pg, ...creds })).rejects.toMatchObject({
      code: "dokku_error",
      message: "backup credentials are already set for main-db: remove them first, then set the new ones",
    });
    await runOp(simRelay(s), "databases.backup.deauth", pg);
    await runOp(simRelay(s), "databases.backup.auth", { ...pg, ...creds });
  });

  it("unschedule takes the schedule away", async () => {
    const s = sim();
    await runOp(simRelay(s), "databases.backup.schedule", { ...pg, schedule: "15 2 * * 1-5", bucket: "nightly", useIam: true });
    expect((await runOp(simRelay(s), "databases.backups", pg)).schedule).toMatchObject({ schedule: "15 2 * * 1-5", bucket: "nightly", useIam: true });
    await runOp(simRelay(s), "databases.backup.unschedule", pg);
    expect(await runOp(simRelay(s), "databases.backups", pg)).toEqual({ schedule: null });
  });

  it("a plugin too old for a backup command is unavailable, saying so; a command it lists as unimplemented too", async () => {
    const s = sim();
    await runOp(simRelay(s), "databases.list", { plugin: "postgres" });
    const file = join(s.dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.plugins.postgres.version = "1.0.0";
    writeFileSync(file, JSON.stringify(state));
    s.faults({ "postgres:backup-schedule-cat": { exitCode: 1, stderr: " !     `postgres:backup-schedule-cat` is not a dokku command." } });
    await expect(runOp(simRelay(s), "databases.backups", pg)).rejects.toMatchObject({ code: "unavailable", message: expect.stringMatching(/postgres/) });
    const ctx = fakeRelay(() => ({ exitCode: 1, stderr: " !     Not yet implemented\n" }));
    await expect(runOp(ctx, "databases.backup.run", { ...pg, bucket: "b-1" })).rejects.toMatchObject({
      code: "unavailable",
      message: "the installed postgres plugin does not implement postgres:backup",
    });
  });
});

describe("backup secrets", () => {
  it("credentials and the passphrase reach no history row, reply or live line, even when the host echoes them", async () => {
    const mark = randomBytes(6).toString("hex");
    const secret = { accessKeyId: `AKIA${mark.toUpperCase()}`, secretAccessKey: `sk/${mark}+tail` };
    const passphrase = `pass-${mark}`;
    // a host under DOKKU_TRACE echoes its argv, and a backup its docker/gpg command lines
    const relay = fakeRelay((argv) => ({
      stdout: `+ echo ${argv.slice(2).join(" ")}\n+ docker container run --rm -e AWS_ACCESS_KEY_ID=AKIASTORED${mark} -e AWS_SECRET_ACCESS_KEY='stored ${mark}' -e ENCRYPTION_KEY=${mark}stored\n`,
      stderr: `+ gpg --batch --symmetric --passphrase ${mark}gpg\n${Buffer.from(argv[2] ?? "").toString("base64")}\n`,
    }));
    const results = [
      await runOp(relay, "databases.backup.auth", { ...pg, ...secret }),
      await runOp(relay, "databases.backup.encrypt", { ...pg, passphrase }),
      await runOp(relay, "databases.backup.run", { ...pg, bucket: "b-1" }),
    ];
    const everything = JSON.stringify([results, relay.history.list(50, 0).entries, relay.chunks]);
    expect(everything).toContain("postgres:backup-auth"); // the sweep is not vacuous
    expect(everything).not.toContain(mark);
    expect(everything).not.toContain(mark.toUpperCase());
    expect(everything).not.toContain(Buffer.from(passphrase).toString("base64"));
    const argv = relay.history.list(50, 0).entries.map((e) => e.argv);
    expect(argv).toContainEqual(["dokku", "postgres:backup-auth", "main-db", "***", "***"]);
    expect(argv).toContainEqual(["dokku", "postgres:backup-set-encryption", "main-db", "***"]);
  });

  it("a streamed backup's live lines carry no stored credential the host printed", async () => {
    const mark = randomBytes(6).toString("hex");
    const s = sim();
    s.faults({
      "postgres:backup": { stdout: `+ docker container run --rm -e AWS_ACCESS_KEY_ID=AKIA${mark} -e AWS_SECRET_ACCESS_KEY=${mark}/x -e BUCKET_NAME=b-1\n` },
    });
    const relay = simRelay(s);
    const r = await runOp(relay, "databases.backup.run", { ...pg, bucket: "b-1", useIam: true });
    const live = relay.chunks.join("");
    expect(live).toContain("finished successfully"); // the lines were streamed
    expect(live).toContain("AWS_SECRET_ACCESS_KEY=***");
    expect(JSON.stringify([r, live, relay.history.list(50, 0).entries])).not.toContain(mark);
  });

  it("masks the backup environment whatever its values", () => {
    expect(maskBackupEnv("-e AWS_ACCESS_KEY_ID=AK1 -e AWS_SECRET_ACCESS_KEY='a b' -e ENCRYPTION_KEY=\"x y\" -e BUCKET_NAME=b")).toBe(
      "-e AWS_ACCESS_KEY_ID=*** -e AWS_SECRET_ACCESS_KEY=*** -e ENCRYPTION_KEY=*** -e BUCKET_NAME=b",
    );
    expect(maskBackupEnv("gpg --passphrase s3cr3t --batch")).toBe("gpg --passphrase *** --batch");
  });
});

describe("backup arguments", () => {
  const refused = (op: "databases.backup.schedule" | "databases.backup.auth" | "databases.backup.run", args: object) => {
    const r = ops[op].args.safeParse({ ...pg, ...args });
    return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
  };

  it("a schedule is five cron fields or a macro: nothing that could add a line to a root cron file", () => {
    for (const ok of ["0 3 * * *", "*/15 * * * mon-fri", "@daily", "0 0 1 jan *"])
      expect(refused("databases.backup.schedule", { schedule: ok, bucket: "b-1" })).toBeNull();
    for (const bad of ["0 3 * * *\n* * * * * root id", "0 3 * * * root", "0 3  * * *", "@reboot", "* * * *", "0 3 * * *;id", "$(id) * * * *"]) {
      expect(refused("databases.backup.schedule", { schedule: bad, bucket: "b-1" }), JSON.stringify(bad)).toMatch(/five cron fields/);
    }
  });

  it("a bucket is an S3 bucket name with an optional prefix", () => {
    for (const ok of ["my-backups", "my.backups.eu", "b-1/db/daily"]) expect(refused("databases.backup.run", { bucket: ok })).toBeNull();
    for (const bad of ["My_Bucket", "b", "b-1 --use-iam", "b-1\nx", "-b-1", "b-1/../../x y"])
      expect(refused("databases.backup.run", { bucket: bad }), bad).not.toBeNull();
  });

  it("credentials are single printable tokens, never an option; the optional fields go in the plugin's order; no message repeats a value", () => {
    expect(refused("databases.backup.auth", { ...creds, secretAccessKey: "--force" })).toMatch(/may not start with '-'/);
    expect(refused("databases.backup.auth", { ...creds, secretAccessKey: "two words" })).toMatch(/without spaces/);
    expect(refused("databases.backup.auth", { ...creds, endpointUrl: "https://minio.example.com" })).toMatch(/needs a signature version/);
    expect(refused("databases.backup.auth", { ...creds, signatureVersion: "s3v4" })).toMatch(/needs a region/);
    expect(refused("databases.backup.auth", { ...creds, secretAccessKey: "x".repeat(300) })).not.toContain("xxxx");
  });

  it("reads the cron line the plugin writes, and refuses any other", () => {
    expect(parseBackupCron("0 3 * * * dokku /usr/bin/dokku redis:backup cache b-1 --use-iam\n")).toEqual({
      schedule: "0 3 * * *",
      bucket: "b-1",
      useIam: true,
      line: "0 3 * * * dokku /usr/bin/dokku redis:backup cache b-1 --use-iam",
    });
    expect(parseBackupCron("@daily dokku /usr/local/bin/dokku mysql:backup db b-1 ").schedule).toBe("@daily");
    expect(() => parseBackupCron("0 3 * * * root rm -rf /")).toThrow(/unexpected cron line/);
    expect(() => parseBackupCron("")).toThrow(/empty/);
  });
});
