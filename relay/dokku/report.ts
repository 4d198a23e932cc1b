import { z } from "zod";
import { OpFailure } from "./failure.js";

/**
 * Parser for Dokku's text `:report` output, bash and Go alike:
 *
 *   =====> node-js-app ps information
 *          Deployed:                      true
 *          Status web 1:                  running (CID: 4c1d8f2a9b3)
 *
 * Each block starts with a header naming the app and the report; each body line is 7 spaces, a key,
 * a colon, padding and a value that may itself hold colons. Bash reports pad with
 * `printf "%-30s %-25s"` (cmd-domains-report-single in plugins/domains/internal-functions of
 * dokku/dokku v0.35.20), so short values carry trailing spaces; Go reports pad the key to 31 columns
 * or the longest key (ReportSingleApp in plugins/common/common.go). Keys are returned as slugs, so
 * the two layouts give the same fields: "Status web 1" -> "status-web-1".
 */
export interface ReportBlock {
  app: string;
  report: string;
  fields: Record<string, string>;
}

// the report name may be several words ("docker options": cmd-docker-options-report-single)
const HEADER = /^=====> (\S+) (.+?) information\s*$/;
const BODY = /^ {7}(\S[^:]*):(.*)$/;

export function keySlug(displayKey: string): string {
  return displayKey.trim().toLowerCase().replace(/\s+/g, "-");
}

export function parseReports(text: string): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  let current: ReportBlock | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const header = line.match(HEADER);
    if (header) {
      current = { app: header[1]!, report: header[2]!, fields: {} };
      blocks.push(current);
      continue;
    }
    const body = line.match(BODY);
    if (body && current) current.fields[keySlug(body[1]!)] = body[2]!.trim();
  }
  return blocks;
}

/**
 * Report keys made comparable across versions and formats: the `<plugin>-` prefix is stripped
 * (0.38.8+ JSON drops it, older JSON and all text keep it) and the first value seen for a key wins
 * over a later duplicate only when the later one is empty.
 */
export function normalizeReportKeys(fields: Record<string, string>, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    let k = key;
    for (const p of prefixes) {
      if (k.startsWith(`${p}-`)) {
        k = k.slice(p.length + 1);
        break;
      }
    }
    if (!(k in out) || (out[k] === "" && value !== "")) out[k] = value;
  }
  return out;
}

/** One app's `X:report APP --format json`: one compact object of string values. */
export function parseJsonReport(text: string): Record<string, string> {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith("{"));
  if (!line) throw new Error("no JSON object in the report output");
  const parsed = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).parse(JSON.parse(line));
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/**
 * Indented `Key:   value` lines without a standard report header (datastore `<p>:info`,
 * padded to 20 columns): the same parse rule, keys slugged.
 */
export function parseIndentedFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const body = raw.replace(/\r$/, "").match(BODY);
    if (body) fields[keySlug(body[1]!)] = body[2]!.trim();
  }
  return fields;
}

/** A report's true/false field. */
export const bool = z.enum(["true", "false"]);

/** Space-separated lists in reports; `-` and empty mean none. */
export const words = (s: string): string[] => s.split(/\s+/).filter((w) => w && w !== "-");

/** A report's fields checked against what the relay reads from it; a mismatch is a dokku_error naming `what`. */
export function checked<T extends z.ZodType>(schema: T, fields: Record<string, string>, what: string): z.output<T> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new OpFailure("dokku_error", `${what} did not have the expected fields: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
