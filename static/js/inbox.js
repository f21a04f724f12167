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

  // Opening a conversation with #reply-text puts the cursor in the reply box.
  document.addEventListener("DOMContentLoaded", () => {
    if (window.location.hash === "#reply-text") {
      const reply = document.getElementById("reply-text");
      if (reply) reply.focus();
    }
  });
})();
