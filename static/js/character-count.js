// GOV.UK-style character count for every <textarea data-module="character-count"
// data-maxlength="N"> (kccperf/text_limits.py): a line under the box says how many characters
// are left, or how many too many; screen readers hear it once typing pauses.
(function () {
  "use strict";

  function message(count, max) {
    var left = max - count;
    var n = Math.abs(left).toLocaleString("en-GB");
    var word = Math.abs(left) === 1 ? "character" : "characters";
    return left >= 0 ? "You have " + n + " " + word + " remaining" : "You have " + n + " " + word + " too many";
  }

  function setUp(textarea) {
    var max = parseInt(textarea.getAttribute("data-maxlength"), 10);
    if (!max) return;
    var visible = document.createElement("div");
    visible.className = "hint character-count-message";
    visible.id = textarea.id + "-character-count";
    visible.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", spoken);
    textarea.insertAdjacentElement("afterend", visible);
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    var hint = document.createElement("div");
    hint.className = "visually-hidden";
    hint.id = textarea.id + "-character-count-hint";
    hint.textContent = "You can enter up to " + max.toLocaleString("en-GB") + " characters";
    visible.insertAdjacentElement("afterend", hint);
    described.push(hint.id);
    textarea.setAttribute("aria-describedby", described.join(" "));
    var timer = null;

    function update() {
      var count = textarea.value.length;
      visible.textContent = message(count, max);
      var over = count > max;
      visible.classList.toggle("character-count-over", over);
      textarea.classList.toggle("character-count-over", over);
      clearTimeout(timer);
      timer = setTimeout(function () { spoken.textContent = visible.textContent; }, 1000);
    }

    textarea.addEventListener("input", update);
    visible.textContent = message(textarea.value.length, max);
    visible.classList.toggle("character-count-over", textarea.value.length > max);
  }

  function init() {
    var boxes = document.querySelectorAll('textarea[data-module="character-count"]');
    for (var i = 0; i < boxes.length; i++) setUp(boxes[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
