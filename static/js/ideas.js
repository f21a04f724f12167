// Ideas, campaigns, calendar feed: small enhancements; every page works without them.
(() => {
  const paint = (root) => {
    // Campaign colours come from the database; CSP forbids inline style attributes, so set them here.
    root.querySelectorAll(".swatch[data-colour]").forEach((el) => {
      if (/^#[0-9a-fA-F]{6}$/.test(el.dataset.colour)) el.style.backgroundColor = el.dataset.colour;
    });
  };
  document.addEventListener("DOMContentLoaded", () => paint(document));
  document.addEventListener("htmx:afterSwap", (event) => paint(event.target));

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const input = document.querySelector(button.dataset.copy);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = button.dataset.copied;
    } catch (error) {
      // No clipboard permission: the address stays selected, ready for Ctrl+C.
    }
  });
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
