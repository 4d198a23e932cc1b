import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { RunResult } from "../../relay/process/run.js";
import { fakeRelay, type TestRelay, type TestRelayOptions } from "../support/ops.js";

/**
 * Recorded Dokku outputs (fixtures/<command>.json): what one `dokku ARGV…` printed on a given
 * version, each with the Dokku (or plugin) source it was derived from. stdout and stderr are kept
 * as lines so trailing padding stays visible; each line ends with "\n" as Dokku prints it.
 */
export const recording = z.object({
  id: z.string(),
  /** 0.30-0.33 text, 0.34-0.37, 0.38.0-0.38.21 bash JSON, 0.38.22+ Go JSON, or a plugin's version. */
  family: z.string(),
  version: z.string(),
  source: z.string().min(10),
  argv: z.array(z.string()).min(1),
  exitCode: z.number().int(),
  stdout: z.array(z.string()),
  stderr: z.array(z.string()),
});
export type Recording = z.infer<typeof recording>;

const dir = join(import.meta.dirname, "fixtures");

/** Every recording, by id; a duplicate id or a malformed file fails loudly. */
export function loadRecordings(): Map<string, Recording> {
  const all = new Map<string, Recording>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    for (const r of z.array(recording).parse(JSON.parse(readFileSync(join(dir, file), "utf8")))) {
      if (all.has(r.id)) throw new Error(`duplicate recording ${r.id} in ${file}`);
      all.set(r.id, r);
    }
  }
  return all;
}

/** Dokku's own plugins, always there: their commands are never "not a dokku command". */
const CORE_PLUGINS = new Set([
  "apps",
  "certs",
  "config",
  "domains",
  "git",
  "ps",
  "ports",
  "plugin",
  "builder",
  "buildpacks",
  "checks",
  "logs",
  "proxy",
  "nginx",
  "storage",
  "network",
  "scheduler",
]);

/** A recording's argv element that stands for any absolute file path (certs:add's temp files, which are new each run). */
const FILE = "<file>";

const text = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);

/**
 * The plugins a recorded `plugin:list` (text form: `  name  version  enabled|disabled  …`) shows
 * enabled, or null when the recordings hold none.
 */
function enabledPlugins(recs: Recording[]): Set<string> | null {
  const list = recs.find((r) => r.argv[0] === "plugin:list" && r.exitCode === 0);
  if (!list) return null;
  return new Set(list.stdout.flatMap((l) => /^\s+(\S+)\s+\S+\s+enabled\b/.exec(l)?.[1] ?? []).map((n) => n.replace(/^dokku-/, "")));
}

/**
 * A relay whose `dokku` answers only with the given recordings, matched on the exact argv; any
 * other command is kept in `unmatched` (and fails with exit 1) so a test sees what it did not expect.
 * One answer needs no recording: a command of a plugin the recorded `plugin:list` does not show
 * enabled gets what Dokku answers for a command no enabled plugin provides (` !     \`X\` is not a
 * dokku command.`, exit 1: the `dokku` entry script in dokku/dokku) — ops run such commands beside
 * plugin:list, one command deep, and read nothing from them.
 */
export function recordedRelay(recs: Recording[], version: string, opts: Pick<TestRelayOptions, "bytes"> = {}): TestRelay & { unmatched: string[][] } {
  const unmatched: string[][] = [];
  const enabled = enabledPlugins(recs);
  const relay = fakeRelay(
    (argv): Partial<RunResult> => {
      const r = recs.find((x) => x.argv.length === argv.length && x.argv.every((a, i) => a === argv[i] || (a === FILE && argv[i]!.startsWith("/"))));
      const plugin = argv[0]?.includes(":") ? argv[0].split(":")[0]! : null;
      if (!r && plugin !== null && enabled !== null && !enabled.has(plugin) && !CORE_PLUGINS.has(plugin)) {
        return { exitCode: 1, stderr: ` !     \`${argv.join(" ")}\` is not a dokku command.\n !     See \`dokku help\` for a list of available commands.\n` };
      }
      if (!r) {
        unmatched.push(argv);
        return { exitCode: 1, stderr: ` !     no recording for ${argv.join(" ")}\n` };
      }
      return { exitCode: r.exitCode, stdout: text(r.stdout), stderr: text(r.stderr) };
    },
    { ...opts, dokkuVersion: version },
  );
  return Object.assign(relay, { unmatched });
}

/** A rendered page or fragment as the text a reader sees: tags dropped, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
