// Inbox single-key shortcuts: j / k next and previous message, Enter or o open, e done, r reply; in a conversation,
// r reply, e done, u back to the list. WCAG 2.1.4: they act only while the list (or the conversation) has focus,
// and a user turns them off on their profile (this script is then not loaded). Every action is also a link or button.
(() => {
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const rows = () => Array.from(document.querySelectorAll("#message-rows .message-row"));

  function move(from, step) {
    const all = rows();
    if (!all.length) return;
    const index = Math.max(0, Math.min(all.indexOf(from) + step, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("is-current", i === index));
    const link = all[index].querySelector(".message-link");
    if (link) link.focus();
  }

  function markDone(row) {
    const form = document.getElementById("bulk-form");
    if (!form) return;
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = false; });
    row.querySelector('input[name="ids"]').checked = true;
    form.querySelector('select[name="action"]').value = "done";
    form.requestSubmit();
  }

  function inList(event, row) {
    const link = row.querySelector(".message-link");
    const actions = {
      j: () => move(row, 1),
      k: () => move(row, -1),
      o: () => { window.location.href = link.href; },
      e: () => markDone(row),
      r: () => { window.location.href = `${link.href}#reply-text`; },
    };
    const action = actions[event.key];
    if (action) { action(); event.preventDefault(); }
  }

  function inConversation(event) {
    const target = { r: "#reply-text", e: '[data-shortcut="done"]', u: '[data-shortcut="back"]' }[event.key];
    const element = target && document.querySelector(target);
    if (!element) return;
    if (event.key === "r") element.focus();
    else element.click();
    event.preventDefault();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const row = event.target.closest && event.target.closest("#message-rows .message-row");
    if (row) inList(event, row);
    else if (event.target.closest && event.target.closest("#thread")) inConversation(event);
  });
})();
