import { maskDsn } from "../protocol/redact.js";

/**
 * Keeping secrets out of everything that leaves the relay. A catalog entry says how its command's
 * secrets look (a Redaction); the recording dokku() (relay/op-context.ts) applies it to the history
 * row, to each live line sent to the viewer and to the output the entry reads and replies with.
 */

export { maskDsn };

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
   * The output is the secret the op exists to return (config:export): the entry reads it whole,
   * history keeps only WITHHELD.
   */
  withholdOutput?: boolean;
}

/** argv as history stores it. */
export function redactArgv(argv: readonly string[], r: Redaction = {}): string[] {
  return argv.map((a, i) => r.args?.(a, i) ?? a);
}

/** Output as it may leave the relay (live lines, the reply). */
export function redactOutput(text: string, r: Redaction = {}): string {
  return r.output ? r.output(text) : text;
}

/** Output as history stores it. */
export function redactForHistory(text: string, r: Redaction = {}): string {
  return r.withholdOutput ? (text.trim() ? WITHHELD : text) : redactOutput(text, r);
}

/** Datastore commands print DSNs with their passwords. */
export const dsnRedaction: Redaction = { output: maskDsn };

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
 * its base64 form) long enough to be recognisable.
 */
export function redactConfig(text: string, vars: Record<string, string>): string {
  let out = text;
  const keys = Object.keys(vars);
  if (keys.length > 0) {
    const keyRe = new RegExp(`^(\\s*(?:${keys.map(escapeRe).join("|")}):)[^\\n]*$`, "gm");
    out = out.replace(keyRe, `$1  ${MASK}`);
  }
  const needles = new Set<string>();
  for (const v of Object.values(vars)) {
    for (const piece of [v, v.trim(), ...v.split(/\r?\n/).map((l) => l.trim())]) if (piece.length >= 4) needles.add(piece);
    const b64 = Buffer.from(v, "utf8").toString("base64");
    if (b64.length >= 4) needles.add(b64);
  }
  for (const n of [...needles].sort((a, b) => b.length - a.length)) out = out.split(n).join(MASK);
  return out;
}

/**
 * config:set's secrets: the base64 values in argv (masked to KEY=***, from `firstPair` on) and the
 * values wherever Dokku echoes them.
 */
export function configRedaction(vars: Record<string, string>, firstPair: number): Redaction {
  return { args: (arg, i) => (i >= firstPair ? maskPair(arg) : null), output: (t) => redactConfig(t, vars) };
}
