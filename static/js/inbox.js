// Inbox enhancements: the poller's de-duplication and the cursor in the reply box. Shortcuts are in shortcuts.js.
(() => {
  // The poller asks for messages newer than the page's mark, read before the page's rows: one that a sync committed
  // in between is in both, and is shown once.
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    if (event.detail.target.id !== "message-rows") return;
    event.detail.fragment.querySelectorAll(".message-row").forEach((row) => {
      if (document.getElementById(row.id)) row.remove();
    });
  });

  // "Use" a saved reply: its text goes in at the cursor of the reply box (replacing a selection), keeping what was
  // typed. Without JavaScript the form reloads the page with the saved reply as the whole text.
  document.addEventListener("submit", (event) => {
    const picker = event.target.closest("form[data-insert-into]");
    const box = picker && document.getElementById(picker.dataset.insertInto);
    if (!box) return;
    event.preventDefault();
    const option = picker.querySelector("select").selectedOptions[0];
    if (!option) return;
    const start = box.selectionStart, end = box.selectionEnd;
    const before = box.value.slice(0, start), after = box.value.slice(end);
    const text = (before && !/\s$/.test(before) ? " " : "") + option.dataset.text + (after && !/^\s/.test(after) ? " " : "");
    box.focus();
    box.setRangeText(text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  // On a wide screen a conversation opens beside the list, which stays where it was; on a phone (or without
  // JavaScript) the link goes to the conversation's own page.
  const wide = window.matchMedia("(min-width: 1200px)");
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".message-row .message-link");
    const pane = document.getElementById("conversation-pane");
    if (!link || !pane || !wide.matches || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    document.querySelectorAll(".message-row.is-open").forEach((row) => row.classList.remove("is-open"));
    const row = link.closest(".message-row");
    row.classList.add("is-open");
    row.classList.remove("is-unread");
    htmx.ajax("GET", link.href, { target: "#conversation-pane", swap: "innerHTML" }).then(() => pane.focus());
  });

  // Opening a conversation with #reply-text puts the cursor in the reply box.
  document.addEventListener("DOMContentLoaded", () => {
    if (window.location.hash === "#reply-text") {
      const reply = document.getElementById("reply-text");
      if (reply) reply.focus();
    }
  });
})();
