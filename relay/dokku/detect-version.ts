/** `dokku version` prints `dokku version 0.36.11` (or a git describe form); take the x.y.z. */
export function parseDokkuVersion(stdout: string): string | null {
  const m = stdout.match(/(\d+)\.(\d+)\.(\d+)/);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}
