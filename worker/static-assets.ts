import { z } from "zod";
import { log } from "./log.js";

/**
 * The static files pages link by a versioned URL, `PATH?v=HASH` (`assetUrl` in worker/urls.ts):
 * HASH is the start of the SHA-256 of the file's bytes, so a deploy that changes a file changes its
 * URL, and each is served `Cache-Control: public, max-age=31536000, immutable` (public/_headers,
 * `assetHeadersFile`): a browser never asks for it again, and never keeps an old htmx or stylesheet
 * past a deploy. Every other file under public/ keeps the asset server's revalidated cache.
 */
export const VERSIONED_ASSETS = [
  "/app.css",
  "/base.css",
  "/vendor/htmx-sse.min.js",
  "/vendor/simplewebauthn-browser.min.js",
  "/logs.js",
  "/passkeys.js",
] as const;

export type VersionedAsset = (typeof VERSIONED_ASSETS)[number];

/** Where scripts/copy-assets.ts writes each versioned file's hash, `{"/app.css": "3f9a0c1e", …}`, for the Worker to read. */
export const ASSET_MANIFEST = "/assets.json";

/** Hex digits of the SHA-256 kept in a URL: 32 bits tell one build of a file from the next. */
export const HASH_CHARS = 8;

const manifest = z.record(z.string(), z.string().regex(/^[0-9a-f]+$/));

let known: ReadonlyMap<string, string> | null = null;
let loading: Promise<void> | null = null;

/**
 * Read the manifest once per isolate through the assets binding (it is deployed with the files, so
 * it always names the files this Worker's assets serve). Awaited before a request is handled; a
 * failed read is logged and tried again on the next request, the pages meanwhile linking bare paths
 * (cached for a year too, as _headers cannot tell a query apart, but never linked again once the
 * versions are read: a later page links the versioned URL, which the browser has not seen).
 * Without a binding (a unit test's app.request) it does nothing.
 */
export function loadAssetVersions(assets: { fetch(req: Request): Promise<Response> } | undefined, origin: string): Promise<void> {
  if (known || !assets) return Promise.resolve();
  loading ??= assets
    .fetch(new Request(`${origin}${ASSET_MANIFEST}`))
    .then(async (res) => {
      if (!res.ok) throw new Error(`${ASSET_MANIFEST} answered ${res.status}`);
      known = new Map(Object.entries(manifest.parse(await res.json())));
    })
    .catch((e: unknown) => log.error("no asset versions: pages link bare asset paths", { err: e instanceof Error ? e.message : String(e) }))
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The hash of `path`'s bytes, once the manifest was read; else undefined. */
export function assetVersion(path: VersionedAsset): string | undefined {
  return known?.get(path);
}

/** For tests: forget what was read (or set versions as a manifest would). */
export function setAssetVersions(versions: Record<string, string> | null): void {
  known = versions ? new Map(Object.entries(versions)) : null;
}
