/**
 * How long ago a moment was (ms since epoch), as a person says it: `12 s ago`, `3 min ago`, `2 h ago`,
 * `5 d ago`; "never" for null. Its own module so a page can say it without importing another page.
 */
export function ago(ms: number | null): string {
  if (ms === null) return "never";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** How far ahead a moment is from `now` (both ms since epoch), said as ago says the past: `in 40 s`, `in 12 min`, `in 3 h`, `in 2 d`. */
export function until(ms: number, now: number): string {
  const s = Math.max(0, Math.round((ms - now) / 1000));
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} d`;
}
