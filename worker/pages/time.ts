/**
 * A moment (ms since the epoch) as pages write it: `YYYY-MM-DD HH:MM:SS UTC`, to the second. Every
 * page writes times this one way (put it in a <time datetime> where a machine may read it).
 */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
