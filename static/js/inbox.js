// Inbox keyboard shortcuts: j / k next and previous message, Enter or o open, e done, r reply, u back to the list.
// Progressive enhancement only: every action is also a link or a button.
(() => {
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const rows = () => Array.from(document.querySelectorAll("#message-rows .message-row"));
  let current = -1;

  function select(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("is-current", i === current));
    const link = all[current].querySelector(".message-link");
    if (link) link.focus();
  }

  function currentRow() {
    const all = rows();
    const focused = document.activeElement && document.activeElement.closest(".message-row");
    return focused || all[current] || null;
  }

  function markDone(row) {
    const form = document.getElementById("bulk-form");
    if (!form || !row) return;
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = false; });
    row.querySelector('input[name="ids"]').checked = true;
    form.querySelector('select[name="action"]').value = "done";
    form.requestSubmit();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const listing = document.getElementById("message-rows");
    if (listing) {
      const row = currentRow();
      if (event.key === "j") { select(current + 1); event.preventDefault(); }
      else if (event.key === "k") { select(current - 1); event.preventDefault(); }
      else if ((event.key === "o" || event.key === "Enter") && row && event.target === document.body) {
        window.location.href = row.querySelector(".message-link").href;
      }
      else if (event.key === "e" && row) { markDone(row); event.preventDefault(); }
      else if (event.key === "r" && row) { window.location.href = row.querySelector(".message-link").href + "#reply-text"; }
      return;
    }
    const reply = document.getElementById("reply-text");
    if (event.key === "r" && reply) { reply.focus(); event.preventDefault(); }
    else if (event.key === "e") {
      const done = document.querySelector('[data-shortcut="done"]');
      if (done) { done.click(); event.preventDefault(); }
    }
    else if (event.key === "u") {
      const back = document.querySelector('[data-shortcut="back"]');
      if (back) window.location.href = back.href;
    }
  });

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
