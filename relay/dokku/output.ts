/** Helpers for Dokku's output conventions (see shared/reference/dokku-cli.md §2). */

const WARN_PREFIX = /^ !\s{5}/;

/** The ` !     ` lines of a stream, without the prefix: Dokku's own error or warning text. */
export function bangLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/\r$/, ""))
    .filter((l) => WARN_PREFIX.test(l))
    .map((l) => l.replace(WARN_PREFIX, "").trim());
}

/** The message to show for a failed command: its ` !     ` lines, else its last stderr lines. */
export function failureMessage(stderr: string, stdout = ""): string {
  const bangs = bangLines(stderr);
  if (bangs.length > 0) return bangs.join("\n");
  const tail = stderr.trim().split("\n").slice(-5).join("\n").trim();
  if (tail) return tail;
  return bangLines(stdout).join("\n") || "the command failed without a message";
}

/** Remove ANSI escape sequences (Dokku colours log prefixes). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "");
}
