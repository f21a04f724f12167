// The calendar's side panel (a post opened from a chip or a list row): it takes focus when it opens, closes with
// Escape or its Close button, and gives focus back to what opened it. Without JavaScript, chips are plain links.
(() => {
  let opener = null;
  const panel = () => document.getElementById("side-panel");

  document.addEventListener("htmx:beforeRequest", (event) => {
    const target = event.detail.target;
    if (target && target.id === "side-panel") opener = event.detail.elt;
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id !== "side-panel") return;
    const heading = event.detail.target.querySelector(".panel-title");
    const focusable = heading || event.detail.target;
    focusable.setAttribute("tabindex", "-1");
    focusable.focus();
  });

  function close() {
    const aside = panel();
    if (!aside || !aside.childElementCount) return;
    aside.replaceChildren();
    // The grid may have reloaded meanwhile: find the opener again by its address.
    const href = opener && opener.getAttribute("href");
    const again = opener && document.contains(opener) ? opener : href && document.querySelector(`[href="${CSS.escape(href)}"]`);
    if (again) again.focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel() && panel().childElementCount) { close(); event.preventDefault(); }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-panel-close]")) close();
  });
})();
