/** The relay's own version, sent to the edge in its hello. */
export const RELAY_VERSION = "0.1.0";

/** `dokku version` prints `dokku version 0.36.11` (or a git describe form); take the x.y.z. */
export function parseDokkuVersion(stdout: string): string | null {
  const m = stdout.match(/(\d+)\.(\d+)\.(\d+)/);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}
