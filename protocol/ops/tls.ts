import { z } from "zod";
import { appName, emailAddress } from "../names.js";
import { pluginStatus } from "./plugins.js";
import { appOnly, change, FRESH_MS, noArgs, read } from "./spec.js";

/** An app's TLS: its certificate (certs plugin) and Let's Encrypt (the letsencrypt plugin, when installed). */

export const letsencryptRow = z.object({
  app: z.string(),
  /** As Dokku prints it: `YYYY-MM-DD HH:MM:SS` in the server's local time. */
  expiry: z.string(),
  timeBeforeExpiry: z.string(),
  timeBeforeRenewal: z.string(),
  /**
   * The same times in seconds, negative when the text ends in ` ago` (expired, renewal overdue);
   * null when the column was empty or unreadable.
   */
  secondsToExpiry: z.number().int().nullable(),
  secondsToRenewal: z.number().int().nullable(),
});
export type LetsencryptRow = z.infer<typeof letsencryptRow>;

export const certsInfo = z.object({
  enabled: z.boolean(),
  dir: z.string(),
  hostnames: z.array(z.string()),
  expiresAt: z.string(),
  startsAt: z.string(),
  issuer: z.string(),
  subject: z.string(),
  /** As Dokku says it: `verified by a certificate authority`, `self signed` (openssl verify failed), or "" without a certificate. */
  verified: z.string(),
  /** Seconds from when the report ran to `expiresAt` (negative: expired); null when there is no readable date. */
  secondsToExpiry: z.number().int().nullable(),
  /** `expiresAt` in ms since the epoch; null when there is no readable date (or the relay is older than this field). */
  expiresAtMs: z.number().int().nullable().default(null),
});
export type CertsInfo = z.infer<typeof certsInfo>;

/**
 * The app's wildcard domains (`*.example.com`) when Let's Encrypt would try them over HTTP-01, which
 * cannot prove a wildcard (only DNS-01 can: "DNS-01 is the only way to obtain wildcard certificates",
 * README.md of dokku/dokku-letsencrypt); empty when there is none or a DNS provider is set.
 */
export function wildcardsWithoutDns(status: { domains: readonly string[]; dnsProvider: string | null }): string[] {
  return status.dnsProvider ? [] : status.domains.filter((d) => d.startsWith("*."));
}

/** The oldest dokku-letsencrypt whose commands the TLS tab runs (`letsencrypt:set` arrived in 0.20.0). */
export const LETSENCRYPT_MIN_VERSION = "0.20.0";

export const tlsOps = {
  "tls.status": read({
    access: { scope: "app", area: "tls" },
    args: appOnly,
    result: z.object({
      /** The letsencrypt plugin's state (enabled, disabled, missing, too old). */
      letsencryptPlugin: pluginStatus,
      /** This app's row of `letsencrypt:list`, or null when it has none (or the list cannot run). */
      letsencrypt: letsencryptRow.nullable(),
      certs: certsInfo,
      /** The e-mail Let's Encrypt registers with for this app, when set (null when the plugin cannot run). */
      email: z.string().nullable(),
      /** The lego DNS provider Let's Encrypt uses for this app (DNS-01), or null (HTTP-01, or the plugin cannot say). */
      dnsProvider: z.string().nullable().default(null),
      /** The app's own domains (domains:report), read with it: a wildcard among them needs DNS-01. */
      domains: z.array(z.string()).default([]),
    }),
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  "tls.list": read({
    access: { scope: "host", area: "tls" },
    args: noArgs,
    result: z.object({ rows: z.array(letsencryptRow) }),
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  "tls.setEmail": change({
    access: { scope: "app", area: "tls" },
    title: "Set the Let's Encrypt e-mail of {app}",
    args: z.object({ app: appName, email: emailAddress }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["tls.status"],
  }),
  "tls.enable": change({
    access: { scope: "app", area: "tls" },
    title: "Enable Let's Encrypt for {app}",
    args: appOnly,
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["tls.status", "tls.list"],
  }),
  "tls.disable": change({
    access: { scope: "app", area: "tls" },
    title: "Disable Let's Encrypt for {app}",
    args: appOnly,
    timeoutMs: 180_000,
    streams: false,
    invalidates: ["tls.status", "tls.list"],
  }),
  "tls.cleanup": change({
    access: { scope: "app", area: "tls" },
    title: "Clean up old Let's Encrypt certificates of {app}",
    args: appOnly,
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["tls.status"],
  }),
  "tls.autoRenew": change({
    access: { scope: "app", area: "tls" },
    title: "Renew the certificate of {app}",
    args: appOnly,
    timeoutMs: 600_000,
    streams: true,
    invalidates: ["tls.status", "tls.list"],
  }),
} as const;
