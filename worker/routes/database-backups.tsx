import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { dbPlugin, required, serviceName } from "../../protocol/names.js";
import type { OpArgs } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { BackupSchedule, CredentialsForms, PassphraseForms } from "../pages/database-backups.js";
import { DbResult } from "../pages/databases.js";
import type { HostEnv } from "../types.js";
import { change, type ChangeOp } from "./answers.js";
import { valid, validArgs, type UrlParts } from "./input.js";

const service = valid("param", z.object({ plugin: dbPlugin, service: serviceName }));
const checkbox = z.enum(["1", "on", "true"]).optional();
/** An optional text field: trimmed, and absent when left empty. */
const optional = z
  .string()
  .trim()
  .max(4096)
  .transform((s) => (s === "" ? undefined : s))
  .optional();
const runFields = z.object({ bucket: z.string().trim().max(300), useIam: checkbox });
const scheduleFields = z.object({ schedule: required("a schedule", z.string().max(100)), bucket: z.string().trim().max(300), useIam: checkbox });
const authFields = z.object({
  accessKeyId: z.string().trim().max(300),
  secretAccessKey: z.string().trim().max(300),
  region: optional,
  signatureVersion: optional,
  endpointUrl: optional,
});
const passphraseFields = z.object({ passphrase: z.string().trim().max(1100) });

/** The database a backup form acts on, from the URL (checked by `service` first, and by the op's schema again). */
const db = (u: UrlParts) => ({ plugin: u.param("plugin"), service: u.param("service") });

type BackupOp = Extract<ChangeOp, `databases.backup.${string}`>;

/**
 * A backup change, its arguments already checked by the op's own schema (`validArgs`: a 400 naming
 * each problem, never repeating a value: they may be secrets), run like every database change
 * (streamed into the page when htmx asks, else whole).
 */
function backupChange<N extends BackupOp>(c: Context<HostEnv>, op: N, args: OpArgs<N>, message: string) {
  return change(c, op, args, (r) => <DbResult message={message} result={r} />, { mask: maskUrlCredentials, page: { title: message, current: "databases" } });
}

/** A database's backups, `/hosts/:host/databases/:plugin/:service/backups…`: the schedule, and each backup change. */
export const backupRoutes = new Hono<HostEnv>()
  /** The schedule alone, read again when a backup change made it stale (pages/stale.ts). */
  .get("/schedule", service, async (c) => {
    const { plugin, service } = c.req.valid("param");
    return c.html(
      <BackupSchedule host={c.var.host.id} plugin={plugin} service={service} backups={await c.var.host.run("databases.backups", { plugin, service })} />,
    );
  })
  /** The secret-taking forms alone, empty again after a backup change (pages/database-backups.tsx). */
  .get("/credentials", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return c.html(<CredentialsForms host={c.var.host.id} plugin={plugin} service={service} />);
  })
  .get("/passphrase", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return c.html(<PassphraseForms host={c.var.host.id} plugin={plugin} service={service} />);
  })
  .post(
    "/run",
    service,
    validArgs("databases.backup.run", runFields, (f, u) => ({ ...db(u), bucket: f.bucket, useIam: f.useIam !== undefined })),
    (c) => {
      const d = c.req.valid("form");
      return backupChange(c, "databases.backup.run", d, `Backed up ${d.service} to ${d.bucket}`);
    },
  )
  .post(
    "/schedule",
    service,
    validArgs("databases.backup.schedule", scheduleFields, (f, u) => ({ ...db(u), schedule: f.schedule, bucket: f.bucket, useIam: f.useIam !== undefined })),
    (c) => {
      const d = c.req.valid("form");
      return backupChange(c, "databases.backup.schedule", d, `Scheduled backups of ${d.service}`);
    },
  )
  .post("/unschedule", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.unschedule", { plugin, service }, `Unscheduled backups of ${service}`);
  })
  .post(
    "/auth",
    service,
    validArgs("databases.backup.auth", authFields, (f, u) => ({ ...db(u), ...f })),
    (c) => {
      const d = c.req.valid("form");
      return backupChange(c, "databases.backup.auth", d, `Stored backup credentials for ${d.service}`);
    },
  )
  .post("/deauth", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.deauth", { plugin, service }, `Removed the backup credentials of ${service}`);
  })
  .post(
    "/encryption",
    service,
    validArgs("databases.backup.encrypt", passphraseFields, (f, u) => ({ ...db(u), passphrase: f.passphrase })),
    (c) => {
      const d = c.req.valid("form");
      return backupChange(c, "databases.backup.encrypt", d, `Set the backup passphrase of ${d.service}`);
    },
  )
  .post("/unencryption", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.unencrypt", { plugin, service }, `Removed the backup passphrase of ${service}`);
  });
