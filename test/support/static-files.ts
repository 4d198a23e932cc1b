/**
 * The static files under public/ that Workers assets serves before the Worker runs, each with a
 * part of the content type it must have: what the header tests (worker and integration) fetch.
 */
export const STATIC_FILES = [
  ["/app.css", "text/css"],
  ["/base.css", "text/css"],
  ["/vendor/htmx-sse.min.js", "javascript"],
  ["/logs.js", "javascript"],
  ["/favicon.svg", "image/svg+xml"],
] as const;
