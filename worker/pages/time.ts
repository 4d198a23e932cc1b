/**
 * A moment (ms since the epoch) as pages write it: `YYYY-MM-DD HH:MM:SS UTC`, to the second. Every
 * page writes times this one way (put it in a <time datetime> where a machine may read it).
 */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * A moment (ms since the epoch) as a clock in `zone` (an IANA name) shows it, written as utcTime
 * writes UTC: `YYYY-MM-DD HH:MM:SS Europe/Berlin` (`… UTC` for UTC, the same text as utcTime).
 * Throws a RangeError for a zone the runtime does not know.
 */
export function zonedTime(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(ms);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
}
