import type { PasskeyView } from "../team/passkey-store.js";
import { assetUrl, passkeyUrl, signInPasskeyUrl } from "../urls.js";
import { utcTime } from "./time.js";

/**
 * The pages' half of passkeys. Each form carries `data-options` (where public/passkeys.js asks
 * for the ceremony's options) and a hidden `response` field it fills with the ceremony's answer
 * before it submits the form: without JavaScript the form is refused with why.
 */

/** The browser scripts a passkey form needs: @simplewebauthn/browser (vendored) and ours. */
export function PasskeyScripts() {
  return (
    <>
      <script src={assetUrl("/vendor/simplewebauthn-browser.min.js")} defer></script>
      <script src={assetUrl("/passkeys.js")} defer></script>
    </>
  );
}

/** The Account page's passkeys: each (name, added, last used) with Remove, and the form that adds one. */
export function PasskeysSection({ passkeys }: { passkeys: PasskeyView[] }) {
  return (
    <section class="account-section" id="passkeys">
      <h2>Passkeys</h2>
      <p>A passkey signs you in on its own, with your device's PIN, fingerprint or face: no password, no code.</p>
      {passkeys.length === 0 ? (
        <p>No passkeys yet.</p>
      ) : (
        <ul class="passkeys">
          {passkeys.map((p) => (
            <li>
              <strong>{p.name}</strong> added {utcTime(p.createdAt)}, {p.lastUsedAt === null ? "not used yet" : `last used ${utcTime(p.lastUsedAt)}`}
              {p.backedUp ? " (synced)" : null}{" "}
              <form method="post" action={passkeyUrl(p.id, "/remove")} class="inline">
                <button type="submit" aria-label={`Remove the passkey ${p.name}`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={passkeyUrl()} data-options={passkeyUrl(undefined, "/options")} class="passkey-form" id="passkey-add">
        <label for="passkey-name">Name (the device it is on)</label>
        <input id="passkey-name" name="name" maxlength={64} required autocomplete="off" />
        <input type="hidden" name="response" />
        <button type="submit">Add a passkey</button>
        <p class="passkey-error" role="alert"></p>
      </form>
      <PasskeyScripts />
    </section>
  );
}

/** The sign-in page's "Sign in with a passkey": shown once the script found the browser can. */
export function PasskeySignIn() {
  return (
    <form method="post" action={signInPasskeyUrl()} data-options={signInPasskeyUrl("/options")} class="passkey-form" id="passkey-sign-in" hidden>
      <input type="hidden" name="response" />
      <button type="submit">Sign in with a passkey</button>
      <p class="passkey-error" role="alert"></p>
      <PasskeyScripts />
    </form>
  );
}
