// Passkeys on the sign-in and Account pages, through @simplewebauthn/browser (served from
// /vendor as SimpleWebAuthnBrowser). A passkey form asks its `data-options` URL for the
// ceremony's options, runs the ceremony, puts the answer in its hidden `response` field and
// submits itself: the dashboard answers with an ordinary page (signed in, or the Account page
// listing the new passkey, or why not).
(() => {
  const setup = () => {
    const lib = window.SimpleWebAuthnBrowser;
    for (const form of document.querySelectorAll("form.passkey-form")) {
      const say = (text) => {
        const el = form.querySelector(".passkey-error");
        if (el) el.textContent = text;
      };
      if (!lib || !lib.browserSupportsWebAuthn()) {
        say("This browser cannot use passkeys.");
        continue;
      }
      form.hidden = false;
      const run = form.id === "passkey-sign-in" ? lib.startAuthentication : lib.startRegistration;
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        say("");
        const button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        try {
          const res = await fetch(form.dataset.options, { method: "POST", headers: { accept: "application/json" }, credentials: "same-origin" });
          if (!res.ok) throw new Error(`The dashboard refused to start (${res.status}).`);
          const answer = await run({ optionsJSON: await res.json() });
          form.elements.response.value = JSON.stringify(answer);
          form.submit();
        } catch (err) {
          if (button) button.disabled = false;
          say(err && err.name === "NotAllowedError" ? "The passkey request was cancelled or timed out." : String((err && err.message) || err));
        }
      });
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
