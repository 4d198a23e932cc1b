import { z } from "zod";
import { LETSENCRYPT_MIN_VERSION, pluginProblem, type CertsInfo, type LetsencryptRow, type PluginStatus } from "../../protocol/ops.js";
import { parseLetsencryptList, parseOpensslDate } from "../dokku/letsencrypt.js";
import { commandResult, failIfFailed, isNotACommand } from "../dokku/output.js";
import { JSON_SINCE, readReport } from "../dokku/read-report.js";
import { checked, parseReports, words } from "../dokku/report.js";
import { letsencryptReportRedaction } from "../process/redact.js";
import type { RunResult } from "../process/run.js";
import { domainsOf } from "./domains.js";
import { pluginStatus } from "./plugins.js";
import { OpFailure } from "../dokku/failure.js";
import { type CatalogEntry, type OpContext } from "./types.js";

export { parseLetsencryptList } from "../dokku/letsencrypt.js";

const letsencryptPlugin = (ctx: OpContext) => pluginStatus(ctx, "letsencrypt", LETSENCRYPT_MIN_VERSION);

/** A letsencrypt command that is "not a dokku command": say which state the plugin is in and what fixes it. */
async function letsencryptUnavailable(ctx: OpContext): Promise<OpFailure> {
  const s = await letsencryptPlugin(ctx);
  // enabled yet unknown: a version that lacks this command
  const said = s.state === "enabled" ? { ...s, state: "too-old" as const } : s;
  return new OpFailure("unavailable", pluginProblem(said));
}

/**
 * `letsencrypt:list`, or `letsencrypt:ls` only when list "is not a dokku command" (a plugin older
 * than 0.10.0). Null when neither exists.
 */
export async function letsencryptRows(ctx: OpContext): Promise<LetsencryptRow[] | null> {
  let res = await ctx.dokku(["letsencrypt:list"]);
  if (isNotACommand(res)) {
    res = await ctx.dokku(["letsencrypt:ls"]);
    if (isNotACommand(res)) return null;
  }
  failIfFailed(res);
  try {
    return parseLetsencryptList(res.stdout);
  } catch (e) {
    throw new OpFailure("dokku_error", `letsencrypt:list printed output the relay could not read (${(e as Error).message})`);
  }
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
export async function certsOf(ctx: OpContext, app: string): Promise<CertsInfo> {
  const r = await readReport(ctx, "certs:report", app, { jsonSince: JSON_SINCE.bash, prefixes: ["ssl", "certs"] });
  const c = checked(certsFields, r.fields, "certs:report");
  const expires = parseOpensslDate(c["expires-at"]);
  return {
    enabled: c.enabled === "true",
    dir: c.dir,
    hostnames: words(c.hostnames),
    expiresAt: c["expires-at"],
    startsAt: c["starts-at"],
    issuer: c.issuer,
    subject: c.subject,
    verified: c.verified,
    secondsToExpiry: expires === null ? null : Math.round((expires - Date.now()) / 1000),
    expiresAtMs: expires,
  };
}

/**
 * The e-mail Let's Encrypt uses for this app (its own, else the global one) and its DNS provider, from the full text
 * `letsencrypt:report APP`: an info flag with an empty value fails with "not deployed" before 0.38.3.
 */
async function letsencryptSettings(ctx: OpContext, app: string): Promise<{ email: string | null; dnsProvider: string | null }> {
  const res = await ctx.dokku(["letsencrypt:report", app], { redact: letsencryptReportRedaction });
  if (res.exitCode !== 0) return { email: null, dnsProvider: null };
  const fields = parseReports(res.stdout).find((b) => b.report === "letsencrypt")?.fields ?? {};
  // `dns-provider` (0.25.0+): a lego provider name switches the app to DNS-01; absent or empty is HTTP-01
  const dnsProvider = fields["letsencrypt-computed-dns-provider"] || fields["letsencrypt-dns-provider"] || null;
  return { email: fields["letsencrypt-computed-email"] || fields["letsencrypt-email"] || null, dnsProvider };
}

/** Whether the plugin's commands can be read at all: enabled, or listed but older than the dashboard needs. */
const canRead = (s: PluginStatus) => s.state === "enabled" || s.state === "too-old";

/**
 * certs:report, domains:report, plugin:list, letsencrypt:list and letsencrypt:report run together
 * (one command deep). certs:report speaks first: its "app not found" (exit 20) or failure is the op's, whatever
 * the others said; the letsencrypt answers count only when the plugin can be read.
 */
export const tlsStatus: CatalogEntry<"tls.status"> = {
  async run(ctx, { app }) {
    const [certs, plugin, rows, settings, domains] = await Promise.allSettled([
      certsOf(ctx, app),
      letsencryptPlugin(ctx),
      letsencryptRows(ctx),
      letsencryptSettings(ctx, app),
      domainsOf(ctx, app),
    ]);
    if (certs.status === "rejected") throw certs.reason;
    if (plugin.status === "rejected") throw plugin.reason;
    if (domains.status === "rejected") throw domains.reason;
    const base = { letsencryptPlugin: plugin.value, certs: certs.value, domains: domains.value.appVhosts };
    if (!canRead(plugin.value)) return { ...base, letsencrypt: null, email: null, dnsProvider: null };
    if (rows.status === "rejected") throw rows.reason;
    if (settings.status === "rejected") throw settings.reason;
    return { ...base, letsencrypt: rows.value?.find((r) => r.app === app) ?? null, ...settings.value };
  },
};

/** A letsencrypt command's result; "not a dokku command" says what state the plugin is in. */
async function letsencryptResult(ctx: OpContext, res: RunResult, app: string): Promise<{ output: string; warning?: string }> {
  if (isNotACommand(res)) throw await letsencryptUnavailable(ctx);
  return commandResult(res, app);
}

export const tlsList: CatalogEntry<"tls.list"> = {
  async run(ctx) {
    const rows = await letsencryptRows(ctx);
    if (rows === null) throw await letsencryptUnavailable(ctx);
    return { rows };
  },
};

export const tlsSetEmail: CatalogEntry<"tls.setEmail"> = {
  async run(ctx, { app, email }) {
    return letsencryptResult(ctx, await ctx.dokku(["letsencrypt:set", app, "email", email]), app);
  },
};

export const tlsEnable: CatalogEntry<"tls.enable"> = {
  async run(ctx, { app }) {
    return letsencryptResult(ctx, await ctx.dokku(["letsencrypt:enable", app]), app);
  },
};

/**
 * `letsencrypt:disable APP`: removes the app's Let's Encrypt files and its certificate (whatever
 * installed it), then rebuilds the proxy config (cmd-letsencrypt-disable in command-functions of
 * dokku/dokku-letsencrypt).
 */
export const tlsDisable: CatalogEntry<"tls.disable"> = {
  async run(ctx, { app }) {
    return letsencryptResult(ctx, await ctx.dokku(["letsencrypt:disable", app]), app);
  },
};

/**
 * `letsencrypt:cleanup APP`: removes the certificate folders the `current` link does not point to;
 * ` !     Cannot resolve the 'current' certificate directory!` and exit 1 when the app has none
 * (cmd-letsencrypt-cleanup in command-functions of dokku/dokku-letsencrypt).
 */
export const tlsCleanup: CatalogEntry<"tls.cleanup"> = {
  async run(ctx, { app }) {
    return letsencryptResult(ctx, await ctx.dokku(["letsencrypt:cleanup", app]), app);
  },
};

/**
 * `letsencrypt:auto-renew APP` exits 0 without renewing when the app has no Let's Encrypt
 * certificate (`-----> Letsencrypt not enabled for APP`) or is not yet in its renewal window
 * (`APP still has … left before renewal`; cmd-letsencrypt-auto-renew in command-functions of
 * dokku/dokku-letsencrypt): both are said as a warning, so the page does not report a renewal.
 */
export const tlsAutoRenew: CatalogEntry<"tls.autoRenew"> = {
  async run(ctx, { app }) {
    const r = await letsencryptResult(ctx, await ctx.dokku(["letsencrypt:auto-renew", app]), app);
    const notEnabled = /^-----> Letsencrypt not enabled for \S+/m.test(r.output);
    const early = r.output.match(/^ {7}\S+ still has (.+) left before renewal\s*$/m);
    const said = notEnabled
      ? `Let's Encrypt is not enabled for ${app}: there is no certificate to renew`
      : early
        ? `Not renewed: the certificate still has ${early[1]} before its renewal window`
        : undefined;
    if (!said) return r;
    return { ...r, warning: r.warning ? `${said}\n${r.warning}` : said };
  },
};
