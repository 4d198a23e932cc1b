import type { HostRef } from "../hub/outcome.js";
import type { Child } from "hono/jsx";
import type { HostStatus } from "../hub/outcome.js";
import { activityUrl, assetUrl, hostUrl, userUrl } from "../urls.js";
import { HOST_SECTIONS, nav as navOfRequest, type HostSection } from "./nav.js";

export interface LayoutProps {
  title: string;
  /** The host this page is about, if any: drives the nav and the demo banner. */
  host?: HostStatus | null;
  hosts?: HostRef[];
  signedIn?: boolean;
  /** Which of the host's pages this is, marked in the nav. */
  current?: HostSection;
  /** Without JavaScript, reload the page this often (a running change's page); with it, htmx streams instead. */
  refreshSeconds?: number;
  /**
   * Link the base stylesheet alone (/base.css: worker/pages/app.css), not the whole one (/app.css,
   * which adds worker/pages/pages.css): the dashboard's, whose first load has a 20 KB budget.
   */
  lean?: boolean;
  children?: Child;
}

export type { HostSection };

export function Layout({ title, host, hosts = [], signedIn = true, current, refreshSeconds, lean = false, children }: LayoutProps) {
  // The nav offers the signed-in user only what the one policy lets them open (pages/nav.ts).
  const nav = navOfRequest();
  const sections = host ? HOST_SECTIONS.filter((s) => nav.opens(host.host, s.key)) : [];
  const switcher = hosts.filter((h) => nav.sees(h.id));
  const edge = [
    nav.may("hosts.manage") ? <a href="/hosts">Hosts</a> : null,
    nav.may("users.manage") ? <a href={userUrl()}>Users</a> : null,
    nav.may("activity.all") ? <a href={activityUrl()}>Activity</a> : null,
  ].filter((a) => a !== null);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        <title>{`${title} · Docklight`}</title>
        <link rel="stylesheet" href={assetUrl(lean ? "/base.css" : "/app.css")} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {/* Fetched at once, run last: see the end of <body>. */}
        <link rel="preload" href={assetUrl("/vendor/htmx-sse.min.js")} as="script" />
        {refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(refreshSeconds)} />
          </noscript>
        ) : null}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            Docklight
          </a>
          {signedIn && edge.length > 0 ? <nav aria-label="All hosts">{edge}</nav> : null}
          {signedIn && host ? (
            <nav aria-label="Host" class="sections">
              {sections.map(({ key, label, path }) => (
                <a href={hostUrl(host.host, path)} aria-current={current === key ? "page" : undefined}>
                  {label}
                </a>
              ))}
            </nav>
          ) : null}
          {signedIn && switcher.length > 1 ? (
            <nav aria-label="Hosts" class="hosts">
              {switcher.map((h) => (
                <a href={hostUrl(h.id)} aria-current={host?.host === h.id ? "page" : undefined}>
                  {h.name}
                </a>
              ))}
            </nav>
          ) : null}
          {signedIn ? (
            <nav aria-label="Account" class="account">
              <a href="/account">Account</a>
              <form method="post" action="/logout" class="logout">
                <button type="submit">Log out</button>
              </form>
            </nav>
          ) : null}
        </header>
        {host?.simulated ? (
          <p class="banner demo" role="status">
            demo host (simulated Dokku): nothing here touches a real server
          </p>
        ) : null}
        {signedIn && host ? <RunningOpsLoader host={host.host} /> : null}
        <main>{children}</main>
        {/*
          htmx and its SSE extension in one file (scripts/copy-assets.ts), a plain (not deferred)
          script at the end: it runs while the document is still loading, so htmx waits for
          DOMContentLoaded to start and the extension, registered in the same run, is there first.
          Had htmx started before the extension, an hx-sse:connect element (a log tail) would never
          connect, and a change's answer would not stream.
        */}
        <script src={assetUrl("/vendor/htmx-sse.min.js")}></script>
      </body>
    </html>
  );
}

/** The "Running now" banner before it is read: it reads itself at once (on every host page's load, and when a change ended). */
export function RunningOpsLoader({ host }: { host: string }) {
  return <div id="running-ops" class="running-ops empty" hx-get={hostUrl(host, "/ops/running")} hx-trigger="load" hx-swap="outerHTML"></div>;
}
