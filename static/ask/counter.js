// Progressive enhancement: a live count of the characters left under the question. The form works without it.
document.querySelectorAll("textarea[data-counter]").forEach((area) => {
  const counter = document.getElementById(area.dataset.counter);
  const limit = Number(area.getAttribute("maxlength"));
  if (!counter || !limit) return;
  const template = document.documentElement.lang === "fr" ? "Encore {n} caractères sur {max}." : "{n} of {max} characters left.";
  const update = () => {
    counter.textContent = template.replace("{n}", Math.max(0, limit - area.value.length)).replace("{max}", limit);
  };
  area.addEventListener("input", update);
  update();
});
