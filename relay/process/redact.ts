import { maskPrivateKeys, maskUrlCredentials } from "../../protocol/redact.js";

/**
 * Keeping secrets out of everything that leaves the relay. A catalog entry says how its command's
 * secrets look (a Redaction); the recording dokku() (relay/ops/op-context.ts) applies it to the history
 * row, to each live line sent to the viewer and to the output the entry reads and replies with.
 * Under every command's own redaction lies the same baseline: credentials in URLs are masked
 * (maskUrlCredentials), so a datastore's DSN (printed by `<plugin>:create`, `:info`, `:link`) or
 * a git remote with a token in it (git:sync's messages, apps:report's deploy source) never leaves
 * the relay whole, whichever op printed it; and so are PEM private key blocks (maskPrivateKeys).
 */

export { maskPrivateKeys, maskUrlCredentials };

/** The baseline every text leaving the relay passes: URL credentials and private keys masked. */
const baseline = (text: string) => maskUrlCredentials(maskPrivateKeys(text));

/** What replaces a secret. */
export const MASK = "***";
/** What history keeps of output that is itself the secret. */
export const WITHHELD = "[config values withheld]";

/** How one command's secrets are kept out of history, live output and replies. */
export interface Redaction {
  /** The masked form of an argv element for history, or null to keep it as it is. */
  args?: (arg: string, index: number) => string | null;
  /** Secrets removed from output, wherever the output goes. */
  output?: (text: string) => string;
  /**
   * The output is the secret the op exists to return (config:export): the entry reads its stdout
   * whole, history keeps only WITHHELD.
   */
  withholdOutput?: boolean;
}

/** argv as history stores it. */
export function redactArgv(argv: readonly string[], r: Redaction = {}): string[] {
  return argv.map((a, i) => r.args?.(a, i) ?? baseline(a));
}

/** Output as it may leave the relay (live lines, the reply): the command's redaction, then the baseline. */
export function redactOutput(text: string, r: Redaction = {}): string {
  return baseline(r.output ? r.output(text) : text);
}

/**
 * A finished command as the entry reads it (and may reply with): both streams redacted, except
 * the stdout of a command whose output is the secret it exists to return (withholdOutput). Its
 * stderr, which only ever says what went wrong, is redacted all the same.
 */
export function redactReply<T extends { stdout: string; stderr: string }>(res: T, r: Redaction = {}): T {
  return { ...res, stdout: r.withholdOutput ? res.stdout : redactOutput(res.stdout, r), stderr: redactOutput(res.stderr, r) };
}

/** Output as history stores it. */
export function redactForHistory(text: string, r: Redaction = {}): string {
  return r.withholdOutput ? (text.trim() ? WITHHELD : text) : redactOutput(text, r);
}

/**
 * The `letsencrypt:report APP` rows whose values are safe to keep; every other row's value is
 * masked. Since dokku-letsencrypt 0.25.0 the report prints each `dns-provider-*` credential (e.g.
 * `Letsencrypt computed dns provider AWS_SECRET_ACCESS_KEY: …`) unless LETSENCRYPT_REPORT_SANITIZE
 * is set, and `lego args` / `lego docker options` may carry an EAB key or `-e SECRET=…`
 * (fn-letsencrypt-report-add-dns-provider-keys in internal-functions, cmd-letsencrypt-report-single
 * in command-functions of dokku/dokku-letsencrypt). Rows are `       Label:    value`, the label
 * being the flag with `-` turned into spaces.
 */
const LETSENCRYPT_SAFE_ROWS = new Set(
  ["active", "autorenew", "expiration"].concat(...["dns provider", "email", "graceperiod", "server"].map((k) => [k, `computed ${k}`, `global ${k}`])),
);

/** letsencrypt:report's secrets: the value of every row not in LETSENCRYPT_SAFE_ROWS. */
export const letsencryptReportRedaction: Redaction = {
  output: (text) =>
    text.replace(/^(\s*Letsencrypt ([^:\n]*):)([ \t]*)(\S[^\n]*)$/gim, (line, label: string, key: string, gap: string) =>
      LETSENCRYPT_SAFE_ROWS.has(key.trim().toLowerCase()) ? line : `${label}${gap}${MASK}`,
    ),
};

/** Mask a `KEY=VALUE` argv element to `KEY=***`; leave anything else alone. */
export function maskPair(arg: string): string | null {
  const eq = arg.indexOf("=");
  return eq > 0 ? `${arg.slice(0, eq)}=${MASK}` : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Remove secret values from Dokku's output: the `       KEY:  value` lines config:set prints for
 * the given keys, and any later appearance of a value (or of one line of a multi-line value, or of
 * its base64 form) long enough to be recognisable. config:set prints each value whole after its
 * `KEY:` (plugins/config in dokku/dokku), so a multi-line value's further lines follow as they are:
 * each is a whole line, masked however short, since output may reach here line by line (live),
 * where the KEY line is no longer in sight.
 */
export function redactConfig(text: string, vars: Record<string, string>): string {
  let out = text;
  const keys = Object.keys(vars);
  if (keys.length > 0) {
    const keyRe = new RegExp(`^(\\s*(?:${keys.map(escapeRe).join("|")}):)[^\\n]*$`, "gm");
    out = out.replace(keyRe, `$1  ${MASK}`);
  }
  const needles = new Set<string>();
  const shortLines = new Set<string>();
  for (const v of Object.values(vars)) {
    const lines = v.split(/\r?\n/).map((l) => l.trim());
    for (const piece of [v, v.trim(), ...lines]) if (piece.length >= 4) needles.add(piece);
    if (lines.length > 1) for (const l of lines) if (l.length > 0 && l.length < 4) shortLines.add(l);
    const b64 = Buffer.from(v, "utf8").toString("base64");
    if (b64.length >= 4) needles.add(b64);
  }
  for (const n of [...needles].sort((a, b) => b.length - a.length)) out = out.split(n).join(MASK);
  if (shortLines.size > 0) out = out.replace(new RegExp(`^[ \\t]*(?:${[...shortLines].map(escapeRe).join("|")})[ \\t]*\\r?$`, "gm"), MASK);
  return out;
}

/**
 * config:set's secrets: the base64 values in argv (masked to KEY=***, from `firstPair` on) and the
 * values wherever Dokku echoes them.
 */
export function configRedaction(vars: Record<string, string>, firstPair: number): Redaction {
  return { args: (arg, i) => (i >= firstPair ? maskPair(arg) : null), output: (t) => redactConfig(t, vars) };
}

/**
 * The secrets a datastore backup's own commands may print: service_backup in common-functions of
 * dokku/dokku-postgres (and its siblings) passes the stored credentials and passphrase to the
 * s3backup container as `-e AWS_ACCESS_KEY_ID=… -e AWS_SECRET_ACCESS_KEY=… -e ENCRYPTION_KEY=…`,
 * and s3backup hands the passphrase to `gpg --passphrase …` (backup.sh of dokku/docker-s3backup):
 * under DOKKU_TRACE or TRACE both are echoed. Masked whatever the values are, since the relay never
 * learns the stored ones.
 */
export function maskBackupEnv(text: string): string {
  return text
    .replace(/\b(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|ENCRYPTION_KEY)=(?:'[^'\n]*'|"[^"\n]*"|\S+)/g, `$1=${MASK}`)
    .replace(/(--passphrase[ =])(?:'[^'\n]*'|"[^"\n]*"|\S+)/g, `$1${MASK}`);
}

/**
 * A backup command's secrets: the argv elements at `secretAt` (the plugin takes credentials and the
 * passphrase only as arguments) masked in history, the values wherever the output repeats them
 * (also as base64, line by line: redactConfig), and the backup environment's (maskBackupEnv).
 */
export function backupRedaction(secrets: Record<string, string>, secretAt: readonly number[]): Redaction {
  return {
    args: (_arg, i) => (secretAt.includes(i) ? MASK : null),
    output: (t) => maskBackupEnv(redactConfig(t, secrets)),
  };
}
