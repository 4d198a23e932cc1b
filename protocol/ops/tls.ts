import { z } from "zod";
import { appName } from "../names.js";
import { appOnly, change, FRESH_MS, noArgs, read } from "./spec.js";

/** An app's TLS: its certificate (certs plugin) and Let's Encrypt (the letsencrypt plugin, when installed). */

export const letsencryptRow = z.object({
  app: z.string(),
  /** As Dokku prints it: `YYYY-MM-DD HH:MM:SS` in the server's local time. */
  expiry: z.string(),
  timeBeforeExpiry: z.string(),
  timeBeforeRenewal: z.string(),
});

export const certsInfo = z.object({
  enabled: z.boolean(),
  dir: z.string(),
  hostnames: z.array(z.string()),
  expiresAt: z.string(),
  startsAt: z.string(),
  issuer: z.string(),
  subject: z.string(),
  verified: z.string(),
});

export const tlsOps = {
  "tls.status": read({
    args: appOnly,
    result: z.object({
      /** False when the letsencrypt plugin is not installed. */
      letsencryptInstalled: z.boolean(),
      /** This app's row of `letsencrypt:list`, or null when it has no active Let's Encrypt certificate. */
      letsencrypt: letsencryptRow.nullable(),
      certs: certsInfo,
      /** The e-mail Let's Encrypt registers with for this app, when set (null without the plugin). */
      email: z.string().nullable(),
    }),
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  "tls.list": read({
    args: noArgs,
    result: z.object({ rows: z.array(letsencryptRow) }),
    timeoutMs: 60_000,
    freshMs: FRESH_MS,
  }),
  "tls.setEmail": change({
    args: z.object({ app: appName, email: z.email("email must be an e-mail address").max(254) }).strict(),
    timeoutMs: 60_000,
    streams: false,
    invalidates: ["tls.status"],
  }),
  "tls.enable": change({ args: appOnly, timeoutMs: 600_000, streams: true, invalidates: ["tls.status", "tls.list"] }),
  "tls.autoRenew": change({ args: appOnly, timeoutMs: 600_000, streams: true, invalidates: ["tls.status", "tls.list"] }),
} as const;
