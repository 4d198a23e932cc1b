import { REGISTRY_APP_LOGIN_SINCE } from "../../../protocol/ops/image.js";
import { appUrl } from "../../urls.js";
import { IfMay, type May } from "../may.js";
import { PostForm } from "../post-form.js";
import { Section } from "../section.js";

export const IMAGE_RESULT = "image-result";

/** Whether this host's Dokku keeps registry logins per app (0.38.0+); an unknown version is offered it and Dokku answers. */
export function perAppLogin(dokkuVersion: string | null): boolean {
  if (dokkuVersion === null) return true;
  const [a = 0, b = 0] = dokkuVersion.split(".").map(Number);
  const [x = 0, y = 0] = REGISTRY_APP_LOGIN_SINCE.split(".").map(Number);
  return a > x || (a === x && b >= y);
}

/**
 * The Deploy tab's image section: deploy from a Docker image (`git:from-image`, streamed), and the
 * registry login its pull needs (`registry:login`, the password sent on the command's stdin; for
 * this app on 0.38+, else for the whole host, which only a host-root user may do).
 */
export function ImageSection({ host, app, dokkuVersion, may }: { host: string; app: string; dokkuVersion: string | null; may: May }) {
  const deploy = appUrl(host, app, "/image/deploy");
  const login = appUrl(host, app, "/image/login");
  const own = perAppLogin(dokkuVersion);
  const loginOp = own ? "registry.login" : "registry.loginGlobal";
  return (
    <IfMay may={may} op="git.fromImage" args={{ app }}>
      <Section name="image" title="Deploy from an image">
        <p class="muted">Dokku pulls the image and deploys it as the app's new release (git:from-image).</p>
        <PostForm action={deploy} target={`#${IMAGE_RESULT}`} class="inline">
          <div>
            <label for="image-ref">Image</label>
            <input id="image-ref" name="image" required autocomplete="off" spellcheck={false} placeholder="ghcr.io/acme/api:1.2.0" />
          </div>
          <button type="submit">Deploy image</button>
        </PostForm>
        <IfMay may={may} op={loginOp} args={{ app }}>
          <details>
            <summary>Registry login (a private image)</summary>
            <form method="post" action={login} hx-post={login} hx-target={`#${IMAGE_RESULT}`} hx-disable="find button" class="inline" autocomplete="off">
              <div>
                <label for="registry-server">Registry</label>
                <input id="registry-server" name="server" required spellcheck={false} placeholder="ghcr.io" />
              </div>
              <div>
                <label for="registry-user">User</label>
                <input id="registry-user" name="username" required spellcheck={false} autocomplete="off" />
              </div>
              <div>
                <label for="registry-password">Password or token</label>
                <input id="registry-password" name="password" type="password" required autocomplete="new-password" />
              </div>
              {own ? (
                <IfMay may={may} op="registry.loginGlobal" args={{}}>
                  <label>
                    <input type="checkbox" name="global" /> for every app on the host (host-wide)
                  </label>
                </IfMay>
              ) : (
                <>
                  <input type="hidden" name="global" value="on" />
                  <p class="muted">
                    This host's Dokku keeps one login for every app (per-app logins need Dokku {REGISTRY_APP_LOGIN_SINCE} or later): it is host-wide.
                  </p>
                </>
              )}
              <button type="submit">Log in</button>
            </form>
            <p class="muted">
              The password goes to the host on the command's input, never on its command line, and is kept only in Docker's credentials there.
            </p>
          </details>
        </IfMay>
        <div id={IMAGE_RESULT} class="result" aria-live="polite"></div>
      </Section>
    </IfMay>
  );
}
