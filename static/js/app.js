// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

document.addEventListener("click", (event) => {
  const dismiss = event.target.closest("[data-dismiss]");
  if (dismiss) dismiss.closest(".notice").remove();
  const menu = event.target.closest(".menu-button");
  if (menu) {
    const open = menu.getAttribute("aria-expanded") !== "true";
    menu.setAttribute("aria-expanded", String(open));
    document.getElementById(menu.getAttribute("aria-controls")).classList.toggle("is-open", open);
  }
});

// After a save, the server sends the page back with a #fragment naming what was saved: focus goes there, not to
// the top of the page. When it is gone (a message marked done left the list), the page's fallback takes focus.
document.addEventListener("DOMContentLoaded", () => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) return;
  const fallback = document.querySelector("[data-focus-fallback]");
  const target = document.getElementById(id)
    || (fallback && (fallback.querySelector("a[href], button, input, textarea, select") || fallback));
  if (!target || target === document.activeElement) return;
  if (!target.matches("a[href], button, input, textarea, select, [tabindex]")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: false });
});
