/**
 * The one home of the dashboard's URLs: every link, form action, hx-get/hx-post and redirect to a
 * host, app, op, history row or database is made here, so a route and the links to it cannot
 * drift. Each path segment that came from data is percent-encoded (a host id or app name is already
 * a safe slug; encoding it again costs nothing and keeps a bad one from escaping its segment).
 * Query strings are made with URLSearchParams; `undefined` values are left out.
 */

import { assetVersion, type VersionedAsset } from "./static-assets.js";

const seg = encodeURIComponent;

/** A query string ("" when empty, else "?a=1&b=2"), leaving out undefined and empty values. */
export function query(params: Record<string, string | number | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** `/hosts/HOST` (the host's dashboard), or a path below it: `hostUrl("h", "/history")`. */
export function hostUrl(host: string, path = ""): string {
  return `/hosts/${seg(host)}${path}`;
}

/** `/hosts/HOST/apps/APP` (the app's overview), or one of its tabs and actions: `appUrl(h, a, "/config")`. */
export function appUrl(host: string, app: string, path = ""): string {
  return hostUrl(host, `/apps/${seg(app)}${path}`);
}

/** A change's own page: `/hosts/HOST/ops/OPID`. */
export function opUrl(host: string, opId: string): string {
  return hostUrl(host, `/ops/${seg(opId)}`);
}

/** The host's history list, with its filters: `/hosts/HOST/history?app=…`. */
export function historyUrl(host: string, params: Record<string, string | number | undefined | null> = {}): string {
  return hostUrl(host, `/history${query(params)}`);
}

/** One history row's page: `/hosts/HOST/history/ID`. */
export function historyEntryUrl(host: string, id: number): string {
  return hostUrl(host, `/history/${id}`);
}

/** A history export: `/hosts/HOST/history/export.csv?…` (or .json). */
export function historyExportUrl(host: string, format: "csv" | "json", params: Record<string, string | number | undefined | null> = {}): string {
  return hostUrl(host, `/history/export.${format}${query(params)}`);
}

/** A database service's page: `/hosts/HOST/databases/PLUGIN/SERVICE`, a part of it (`path`: "/backups"), or the databases page (and its parts) without them. */
export function databaseUrl(host: string, plugin?: string, service?: string, path = ""): string {
  return hostUrl(host, plugin && service ? `/databases/${seg(plugin)}/${seg(service)}${path}` : `/databases${path}`);
}

/** A deploy hook's delivery URL (public, no session): `/hooks/HOST/HOOKID`. */
export function deployHookUrl(host: string, hookId: string): string {
  return `/hooks/${seg(host)}/${seg(hookId)}`;
}

/** The Users page (`/users`), or one user's action: `userUrl(id, "/suspend")`. */
export function userUrl(id?: string, path = ""): string {
  return id === undefined ? `/users${path}` : `/users/${seg(id)}${path}`;
}

/** An invitation's link (its token is the secret: shown once, to the owner who made it). */
export function inviteUrl(token: string): string {
  return `/invite/${seg(token)}`;
}

/** Ending one of the signed-in user's own sessions. */
export function endSessionUrl(jti: string): string {
  return `/account/sessions/${seg(jti)}/end`;
}

/** The Activity page across hosts, with its filters: `/activity?user=…&host=…&app=…&kind=…&before=…`. */
export function activityUrl(params: Record<string, string | number | undefined | null> = {}): string {
  return `/activity${query(params)}`;
}

/** The Activity export with the page's filters: `/activity/export.csv?…` (or .json). */
export function activityExportUrl(format: "csv" | "json", params: Record<string, string | number | undefined | null> = {}): string {
  return `/activity/export.${format}${query(params)}`;
}

/** Verifying one host's history chain from the Activity page (POST). */
export function activityVerifyUrl(host: string): string {
  return `/activity/verify/${seg(host)}`;
}

/** The signed-in user's passkeys: `/account/passkeys` (adding one), or one's action: `passkeyUrl(id, "/remove")`. */
export function passkeyUrl(id?: string, path = ""): string {
  return id === undefined ? `/account/passkeys${path}` : `/account/passkeys/${seg(id)}${path}`;
}

/** Signing in with a passkey: `/login/passkey`, or its challenge: `signInPasskeyUrl("/options")`. */
export function signInPasskeyUrl(path = ""): string {
  return `/login/passkey${path}`;
}

/** The signed-in user's API tokens page (`/account/tokens`), or one token's action: `apiTokenUrl(id, "/revoke")`. */
export function apiTokenUrl(id?: string, path = ""): string {
  return id === undefined ? "/account/tokens" : `/account/tokens/${seg(id)}${path}`;
}

/** A host's alerts section (`/hosts/HOST/alerts`), or one alert's action: `alertUrl(h, 3, "/ack")`. */
export function alertUrl(host: string, id?: number, path = ""): string {
  return hostUrl(host, id === undefined ? "/alerts" : `/alerts/${id}${path}`);
}

/** Where alerts go: the owner's channel settings (`/alerts`), or one channel's action. */
export function alertSettingsUrl(id?: string, path = ""): string {
  return id === undefined ? "/alerts" : `/alerts/channels/${seg(id)}${path}`;
}

/** Single sign-on: `/login/sso/oidc` (to the provider, GET), `/login/sso/access` (POST), or the OIDC callback. */
export function ssoUrl(method: "oidc" | "access" | "oidc/callback"): string {
  return `/login/sso/${method}`;
}

/** A static file a page links, `/app.css?v=HASH`: its URL changes with its bytes (worker/static-assets.ts); bare until the versions are read. */
export function assetUrl(path: VersionedAsset): string {
  const v = assetVersion(path);
  return v ? `${path}?v=${v}` : path;
}
