import type { LetsencryptRow } from "../../protocol/ops.js";

/**
 * Reading dokku-letsencrypt's and the certs plugin's times. `letsencrypt:list` prints each row as
 * `printf "%-25s %-25s %-25s %-25s"` (dokku_col_log_msg in plugins/common/functions of dokku/dokku)
 * of app, `date +"%F %T"` of the expiry, and two durations from fn-letsencrypt-format-timediff
 * (internal-functions of dokku/dokku-letsencrypt): `Nd, Nh, Nm, Ns` with zero parts left out and
 * ` ago` appended when the time is past (an expired certificate, an overdue renewal).
 */

const DURATION = String.raw`(?:\d+[dhms])(?:, \d+[dhms])*(?: ago)?`;
const ROW = new RegExp(String.raw`^(\S+)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\s+(${DURATION}))?(?:\s+(${DURATION}))?\s*$`);
const UNIT: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/** A fn-letsencrypt-format-timediff text in seconds, negative for ` ago`; null when it is not one. */
export function parseTimediff(text: string): number | null {
  const t = text.trim();
  if (!new RegExp(`^${DURATION}$`).test(t)) return null;
  let seconds = 0;
  for (const m of t.matchAll(/(\d+)([dhms])/g)) seconds += Number(m[1]) * UNIT[m[2]!]!;
  return t.endsWith(" ago") ? -seconds : seconds;
}

/**
 * `letsencrypt:list` (or `letsencrypt:ls` before plugin 0.10.0) rows: the header line
 * (`----->  App name …`, dokku_col_log_info1_quiet) and anything that is not a row are skipped.
 * The durations are matched by their form, not by column, so a name or a duration longer than its
 * 25-character column does not shift the others. A line in no known form throws: a list that
 * cannot be read is not an empty one.
 */
export function parseLetsencryptList(stdout: string): LetsencryptRow[] {
  const rows: LetsencryptRow[] = [];
  for (const raw of stdout.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.startsWith("----->") || line.startsWith("=====>")) continue;
    if (line.trim() === "") continue;
    const m = line.match(ROW);
    if (!m) throw new Error(`unexpected line "${line.length > 80 ? `${line.slice(0, 80)}…` : line}"`);
    const expiry = m[3] ?? "";
    const renewal = m[4] ?? "";
    rows.push({
      app: m[1]!,
      expiry: m[2]!,
      timeBeforeExpiry: expiry,
      timeBeforeRenewal: renewal,
      secondsToExpiry: expiry ? parseTimediff(expiry) : null,
      secondsToRenewal: renewal ? parseTimediff(renewal) : null,
    });
  }
  return rows;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * openssl's text date as certs:report prints `ssl-expires-at` (the `Not After :` line of
 * `openssl x509 -text`, fn-ssl-expires-at in plugins/certs/internal-functions and
 * reportSSLExpiresAt in plugins/certs/report.go of dokku/dokku): `Oct  5 23:59:59 2019 GMT`.
 * Milliseconds since the epoch, or null when it is not such a date.
 */
export function parseOpensslDate(text: string): number | null {
  const m = text.trim().match(/^([A-Z][a-z]{2})\s+(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}
