import { assetUrl, ssoUrl } from "../urls.js";

/** The sign-in page's single sign-on buttons: one per method configured (none: nothing). */
export function SsoButtons({ oidc, access }: { oidc: string | null; access: boolean }) {
  if (!oidc && !access) return null;
  return (
    <div class="sso">
      {oidc ? (
        <p>
          <a class="button" href={ssoUrl("oidc")}>
            Sign in with {oidc}
          </a>
        </p>
      ) : null}
      {access ? (
        <form method="post" action={ssoUrl("access")}>
          <button type="submit">Sign in with Cloudflare Access</button>
        </form>
      ) : null}
    </div>
  );
}

/**
 * After the provider sent the browser back: signed in, and on to the dashboard by a same-site
 * navigation (a meta refresh), since a redirect in a chain a cross-site page started would not
 * carry the SameSite=Strict session cookie it just set.
 */
export function SignedInPage() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="0;url=/" />
        <title>Signed in · Docklight</title>
        {/* the dashboard's sheet, which the next page (the dashboard) links too */}
        <link rel="stylesheet" href={assetUrl("/base.css")} />
      </head>
      <body>
        <main>
          <p>
            Signed in. <a href="/">Continue to the dashboard</a>.
          </p>
        </main>
      </body>
    </html>
  );
}
