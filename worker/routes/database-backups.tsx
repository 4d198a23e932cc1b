import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { dbPlugin, required, serviceName } from "../../protocol/names.js";
import { ops, type OpArgs } from "../../protocol/ops.js";
import { maskUrlCredentials } from "../../protocol/redact.js";
import { BackupSchedule, CredentialsForms, PassphraseForms } from "../pages/database-backups.js";
import { DbResult } from "../pages/databases.js";
import type { HostEnv } from "../types.js";
import { change, type ChangeOp } from "./answers.js";
import { problems, refuse, valid } from "./input.js";

const service = valid("param", z.object({ plugin: dbPlugin, service: serviceName }));
const checkbox = z.enum(["1", "on", "true"]).optional();
/** An optional text field: trimmed, and absent when left empty. */
const optional = z
  .string()
  .trim()
  .max(4096)
  .transform((s) => (s === "" ? undefined : s))
  .optional();
const runForm = valid("form", z.object({ bucket: z.string().trim().max(300), useIam: checkbox }));
const scheduleForm = valid("form", z.object({ schedule: required("a schedule", z.string().max(100)), bucket: z.string().trim().max(300), useIam: checkbox }));
const authForm = valid(
  "form",
  z.object({
    accessKeyId: z.string().trim().max(300),
    secretAccessKey: z.string().trim().max(300),
    region: optional,
    signatureVersion: optional,
    endpointUrl: optional,
  }),
);
const passphraseForm = valid("form", z.object({ passphrase: z.string().trim().max(1100) }));

type BackupOp = Extract<ChangeOp, `databases.backup.${string}`>;

/**
 * A backup change: the form's fields through the op's own schema (a 400 naming each problem, never
 * repeating a value: they may be secrets), then run like every database change (streamed into the
 * page when htmx asks, else whole).
 */
function backupChange<N extends BackupOp>(c: Context<HostEnv>, op: N, args: OpArgs<N>, message: string) {
  const parsed = ops[op].args.safeParse(args);
  if (!parsed.success) return refuse(c, problems(parsed.error));
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
  .post("/run", service, runForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    const { bucket, useIam } = c.req.valid("form");
    return backupChange(c, "databases.backup.run", { plugin, service, bucket, useIam: useIam !== undefined }, `Backed up ${service} to ${bucket}`);
  })
  .post("/schedule", service, scheduleForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    const { schedule, bucket, useIam } = c.req.valid("form");
    return backupChange(c, "databases.backup.schedule", { plugin, service, schedule, bucket, useIam: useIam !== undefined }, `Scheduled backups of ${service}`);
  })
  .post("/unschedule", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.unschedule", { plugin, service }, `Unscheduled backups of ${service}`);
  })
  .post("/auth", service, authForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    const f = c.req.valid("form");
    const args = {
      plugin,
      service,
      accessKeyId: f.accessKeyId,
      secretAccessKey: f.secretAccessKey,
      ...(f.region === undefined ? {} : { region: f.region }),
      ...(f.signatureVersion === undefined ? {} : { signatureVersion: f.signatureVersion }),
      ...(f.endpointUrl === undefined ? {} : { endpointUrl: f.endpointUrl }),
    };
    return backupChange(c, "databases.backup.auth", args, `Stored backup credentials for ${service}`);
  })
  .post("/deauth", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.deauth", { plugin, service }, `Removed the backup credentials of ${service}`);
  })
  .post("/encryption", service, passphraseForm, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(
      c,
      "databases.backup.encrypt",
      { plugin, service, passphrase: c.req.valid("form").passphrase },
      `Set the backup passphrase of ${service}`,
    );
  })
  .post("/unencryption", service, (c) => {
    const { plugin, service } = c.req.valid("param");
    return backupChange(c, "databases.backup.unencrypt", { plugin, service }, `Removed the backup passphrase of ${service}`);
  });
