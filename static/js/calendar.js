// Drag a post to another day (month) or hour (week), or a layer's entry that can move (editorial/layers.py) to
// another day. The server checks and moves it (htmx POST); the grid then reloads itself on the "calendar-changed"
// event. Without JavaScript, each has a "Move" link to a form.
(() => {
  let dragged = null;

  // The week view opens at the institution's working day; earlier and later hours are a scroll away.
  const openAtWorkingDay = () => {
    const scroller = document.querySelector(".week-scroll[data-start-hour]");
    if (!scroller) return;
    const row = scroller.querySelector(`tr[data-hour="${scroller.dataset.startHour}"]`);
    const head = scroller.querySelector("thead");
    if (row) scroller.scrollTop = row.offsetTop - (head ? head.offsetHeight : 0);
  };
  document.addEventListener("DOMContentLoaded", openAtWorkingDay);
  // A grid reloaded after a move keeps the hours the user was looking at.
  let kept = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const scroller = document.querySelector(".week-scroll");
    if (scroller && event.detail.target.id === "calendar-grid") kept = scroller.scrollTop;
  });
  document.addEventListener("htmx:afterSettle", () => {
    const scroller = document.querySelector(".week-scroll");
    if (scroller && kept !== null) scroller.scrollTop = kept;
    kept = null;
  });

  document.addEventListener("dragstart", (event) => {
    const chip = event.target.closest && event.target.closest(".chip[data-move-url], .layer-entry[data-move-url]");
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.post || chip.dataset.moveUrl);
    chip.classList.add("chip-dragging");
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("chip-dragging");
    document.querySelectorAll(".drop-over").forEach((cell) => cell.classList.remove("drop-over"));
    dragged = null;
  });

  // A day of the month, an hour of the week, or the week's day heading (where layers' entries sit).
  const cellOf = (event) => event.target.closest && event.target.closest("td[data-day], th[data-day]");

  document.addEventListener("dragover", (event) => {
    const cell = cellOf(event);
    if (!dragged || !cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("drop-over");
  });

  document.addEventListener("dragleave", (event) => {
    const cell = cellOf(event);
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("drop-over");
  });

  document.addEventListener("drop", (event) => {
    const cell = cellOf(event);
    if (!dragged || !cell) return;
    event.preventDefault();
    cell.classList.remove("drop-over");
    const [hours, minutes] = (dragged.dataset.time || "10:00").split(":");
    const hour = cell.dataset.hour !== undefined ? String(cell.dataset.hour).padStart(2, "0") : hours;
    htmx.ajax("POST", dragged.dataset.moveUrl, {
      target: "#calendar-status",
      swap: "innerHTML",
      values: { day: cell.dataset.day, at: `${hour}:${minutes}` },
    });
  });
})();
