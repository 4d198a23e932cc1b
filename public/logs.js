// The logs tab: keep at most 2,000 lines in the page, scroll to new lines while "Scroll to new
// lines" is ticked, clear on demand, and show only the lines holding the filter's text (case
// insensitive; new lines are filtered as they arrive). The lines arrive through htmx (SSE).
(() => {
  const MAX_LINES = 2000;
  const setup = () => {
    const out = document.getElementById("log-lines");
    if (!out) return;
    const follow = document.getElementById("log-follow");
    const filter = document.getElementById("log-filter");
    const count = document.getElementById("log-filter-count");
    const needle = () => (filter ? filter.value.trim().toLowerCase() : "");
    const isLine = (el) => el.nodeType === 1 && !el.classList.contains("mark");
    const show = (els) => {
      const n = needle();
      for (const el of els) if (isLine(el)) el.hidden = n !== "" && !el.textContent.toLowerCase().includes(n);
      if (!count) return;
      if (n === "") return void (count.textContent = "");
      const lines = [...out.children].filter(isLine);
      count.textContent = `${lines.filter((el) => !el.hidden).length} of ${lines.length} lines`;
    };
    new MutationObserver((records) => {
      while (out.childNodes.length > MAX_LINES) out.firstChild.remove();
      show(records.flatMap((r) => [...r.addedNodes]));
      if (!follow || follow.checked) out.scrollTop = out.scrollHeight;
    }).observe(out, { childList: true });
    filter?.addEventListener("input", () => show(out.children));
    document.getElementById("log-clear")?.addEventListener("click", () => out.replaceChildren());
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
