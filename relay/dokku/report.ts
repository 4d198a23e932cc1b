import { z } from "zod";

/**
 * Parser for Dokku's text `:report` output (bash and Go alike, see dokku-cli.md §4 "Text layout"):
 *
 *   =====> node-js-app ps information
 *          Deployed:                      true
 *          Status web 1:                  running (CID: 4c1d8f2a9b3)
 *
 * Each block starts with a header naming the app and the report; each body line is 7 spaces, a key,
 * a colon, padding (30 columns in bash, 31+ in Go, trailing spaces after bash values) and a value
 * that may itself hold colons. Keys are returned as slugs: "Status web 1" -> "status-web-1".
 */
export interface ReportBlock {
  app: string;
  report: string;
  fields: Record<string, string>;
}

const HEADER = /^=====> (\S+) (\S+) information\s*$/;
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

/** `ps:report` fields the dashboard reads, checked rather than trusted. */
export const psReportFields = z.object({
  deployed: z.enum(["true", "false"]),
  running: z.enum(["true", "false", "mixed"]),
  processes: z.string().regex(/^\d+$/),
});

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
