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
