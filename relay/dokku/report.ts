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
    const header = HEADER.exec(line);
    if (header) {
      current = { app: header[1]!, report: header[2]!, fields: {} };
      blocks.push(current);
      continue;
    }
    const body = BODY.exec(line);
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
