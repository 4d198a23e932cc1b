import { z } from "zod";
import { appName } from "../names.js";
import { appOnly, change } from "./spec.js";

/**
 * An app's own certificate (the certs plugin of dokku/dokku): add or replace one with its key,
 * remove it. The key is a secret: it travels only inside the signed op, the relay writes it to a
 * private file for `certs:add` and deletes it after, and nothing the relay sends or keeps holds it.
 */

/** The largest certificate chain (PEM, characters) an upload may carry. */
export const CERT_MAX_CHARS = 64 * 1024;
/** The largest private key (PEM, characters) an upload may carry. */
export const KEY_MAX_CHARS = 16 * 1024;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
/** PKCS#8, PKCS#1 (RSA) or SEC1 (EC): what nginx reads without a passphrase. */
const PEM_KEY = /-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (RSA |EC )?PRIVATE KEY-----/;

/** A PEM certificate (chain): at least one CERTIFICATE block. Messages never repeat the value. */
export const pemCertificate = z
  .string()
  .max(CERT_MAX_CHARS, `a certificate is at most ${CERT_MAX_CHARS / 1024} KiB`)
  .refine((s) => PEM_CERT.test(s), "the certificate must be PEM: a -----BEGIN CERTIFICATE----- block");

/** A PEM private key without a passphrase (nginx could not read an encrypted one). Messages never repeat the value. */
export const pemPrivateKey = z
  .string()
  .max(KEY_MAX_CHARS, `a private key is at most ${KEY_MAX_CHARS / 1024} KiB`)
  .refine(
    (s) => !/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(s),
    "the private key is encrypted: nginx cannot read it; remove its passphrase (openssl pkey -in key.pem -out plain.pem)",
  )
  .refine((s) => PEM_KEY.test(s), "the private key must be PEM: a -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY) block");

export const certsOps = {
  "certs.add": change({
    access: { scope: "app", area: "certs" },
    title: "Install a certificate on {app}",
    args: z.object({ app: appName, certificate: pemCertificate, key: pemPrivateKey }).strict(),
    timeoutMs: 180_000,
    streams: false,
    invalidates: ["tls.status", "tls.list"],
  }),
  "certs.remove": change({
    access: { scope: "app", area: "certs" },
    title: "Remove the certificate of {app}",
    args: appOnly,
    timeoutMs: 180_000,
    streams: false,
    invalidates: ["tls.status", "tls.list"],
  }),
} as const;
