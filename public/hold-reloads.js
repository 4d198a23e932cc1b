// A part of a page that reads itself again when a change made it stale (its `data-reloads`, from
// worker/pages/stale.ts) holds that swap while a form inside it still runs a change: swapped out,
// htmx would close the form's change stream with it (the change runs on, on the host, but its pane
// stops and its own stale events are lost). Once that request ends, the part reads itself again.
document.addEventListener("htmx:before:swap", (event) => {
  const ctx = event.detail.ctx;
  const part = ctx.sourceElement;
  if (!(part instanceof Element) || !part.hasAttribute("data-reloads") || ctx.target !== part) return;
  const running = part.querySelector(".htmx-request");
  if (!running) return;
  event.preventDefault();
  if (part.hasAttribute("data-reload-held")) return; // one read after the change is enough
  part.setAttribute("data-reload-held", "");
  running.addEventListener(
    "htmx:finally:request",
    () => {
      part.removeAttribute("data-reload-held");
      if (part.isConnected) htmx.ajax("GET", part.getAttribute("hx-get"), { source: part, target: part, swap: part.getAttribute("hx-swap") });
    },
    { once: true },
  );
});
