// The logs tab: keep at most 2,000 lines in the page, scroll to new lines while "Scroll to new
// lines" is ticked, and clear on demand. The lines themselves arrive through htmx (SSE).
(() => {
  const MAX_LINES = 2000;
  const setup = () => {
    const out = document.getElementById("log-lines");
    if (!out) return;
    const follow = document.getElementById("log-follow");
    new MutationObserver(() => {
      while (out.childNodes.length > MAX_LINES) out.firstChild.remove();
      if (!follow || follow.checked) out.scrollTop = out.scrollHeight;
    }).observe(out, { childList: true });
    document.getElementById("log-clear")?.addEventListener("click", () => out.replaceChildren());
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
