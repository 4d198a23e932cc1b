import { z } from "zod";
import { certsInfo, letsencryptRow } from "../../protocol/ops.js";
import { commandResult, failIfFailed, isNotACommand } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { checked, parseReports, words } from "../dokku/report.js";
import type { RunResult } from "../run.js";
import { OpFailure, type CatalogEntry, type OpContext } from "./types.js";

export const LETSENCRYPT_INSTALL = "sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git";

const letsencryptMissing = () => new OpFailure("unavailable", `the letsencrypt plugin is not installed; install it with: ${LETSENCRYPT_INSTALL}`);

type Row = z.infer<typeof letsencryptRow>;
const EXPIRY = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;

/**
 * `letsencrypt:list` rows: `printf "%-25s %-25s %-25s %-25s"` of app, expiry, time before expiry,
 * time before renewal. The durations hold ", " so columns are cut at fixed 26-character steps,
 * counted from where the expiry starts (a name longer than 25 characters pushes the row right).
 */
export function parseLetsencryptList(stdout: string): Row[] {
  const rows: Row[] = [];
  for (const raw of stdout.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (!line.trim() || line.startsWith("----->") || line.startsWith("=====>")) continue;
    const at = line.search(EXPIRY);
    if (at < 0) continue;
    const app = line.slice(0, at).trim();
    if (!app || /\s/.test(app)) continue;
    rows.push({
      app,
      expiry: line.slice(at, at + "YYYY-MM-DD HH:MM:SS".length),
      timeBeforeExpiry: line.slice(at + 26, at + 52).trim(),
      timeBeforeRenewal: line.slice(at + 52).trim(),
    });
  }
  return rows;
}

/**
 * `letsencrypt:list`, or `letsencrypt:ls` only when list "is not a dokku command" (a plugin older
 * than 0.10.0). Null when neither exists: the plugin is not installed.
 */
export async function letsencryptRows(ctx: OpContext): Promise<Row[] | null> {
  let res = await ctx.dokku(["letsencrypt:list"]);
  if (isNotACommand(res)) {
    res = await ctx.dokku(["letsencrypt:ls"]);
    if (isNotACommand(res)) return null;
  }
  failIfFailed(res);
  return parseLetsencryptList(res.stdout);
}

const certsFields = z.object({
  enabled: z.enum(["true", "false"]).default("false"),
  dir: z.string().default(""),
  hostnames: z.string().default(""),
  "expires-at": z.string().default(""),
  "starts-at": z.string().default(""),
  issuer: z.string().default(""),
  subject: z.string().default(""),
  verified: z.string().default(""),
});

/** `certs:report APP` (header `=====> APP ssl information`, keys `Ssl …`); JSON from 0.38.0. */
export async function certsOf(ctx: OpContext, app: string): Promise<z.infer<typeof certsInfo>> {
  const r = await readReport(ctx, "certs:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["ssl", "certs"] });
  const c = checked(certsFields, r.fields, "certs:report");
  return {
    enabled: c.enabled === "true",
    dir: c.dir,
    hostnames: words(c.hostnames),
    expiresAt: c["expires-at"],
    startsAt: c["starts-at"],
    issuer: c.issuer,
    subject: c.subject,
    verified: c.verified,
  };
}

/**
 * The e-mail Let's Encrypt uses for this app (its own, else the global one), from the full text
 * `letsencrypt:report APP`: an info flag with an empty value fails with "not deployed" before 0.38.3.
 */
async function letsencryptEmail(ctx: OpContext, app: string): Promise<string | null> {
  const res = await ctx.dokku(["letsencrypt:report", app]);
  if (res.exitCode !== 0) return null;
  const fields = parseReports(res.stdout).find((b) => b.report === "letsencrypt")?.fields ?? {};
  return fields["letsencrypt-computed-email"] || fields["letsencrypt-email"] || null;
}

/**
 * certs:report, letsencrypt:list and letsencrypt:report run together (one command deep). certs:report
 * speaks first: its "app not found" (exit 20) or failure is the op's, whatever the others said.
 */
export const tlsStatus: CatalogEntry<"tls.status"> = {
  async run(ctx, { app }) {
    const [certs, rows, email] = await Promise.allSettled([certsOf(ctx, app), letsencryptRows(ctx), letsencryptEmail(ctx, app)]);
    if (certs.status === "rejected") throw certs.reason;
    if (rows.status === "rejected") throw rows.reason;
    if (email.status === "rejected") throw email.reason;
    return {
      letsencryptInstalled: rows.value !== null,
      letsencrypt: rows.value?.find((r) => r.app === app) ?? null,
      certs: certs.value,
      email: rows.value === null ? null : email.value,
    };
  },
};

/** A letsencrypt command's result; "not a dokku command" means the plugin is missing. */
function letsencryptResult(res: RunResult, app: string): { output: string; warning?: string } {
  if (isNotACommand(res)) throw letsencryptMissing();
  return commandResult(res, app);
}

export const tlsList: CatalogEntry<"tls.list"> = {
  async run(ctx) {
    const rows = await letsencryptRows(ctx);
    if (rows === null) throw letsencryptMissing();
    return { rows };
  },
};

export const tlsSetEmail: CatalogEntry<"tls.setEmail"> = {
  async run(ctx, { app, email }) {
    return letsencryptResult(await ctx.dokku(["letsencrypt:set", app, "email", email]), app);
  },
};

export const tlsEnable: CatalogEntry<"tls.enable"> = {
  async run(ctx, { app }) {
    return letsencryptResult(await ctx.dokku(["letsencrypt:enable", app]), app);
  },
};

export const tlsAutoRenew: CatalogEntry<"tls.autoRenew"> = {
  async run(ctx, { app }) {
    return letsencryptResult(await ctx.dokku(["letsencrypt:auto-renew", app]), app);
  },
};
