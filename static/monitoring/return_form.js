// Progressive enhancement of the return form: hide the issue questions while "on track"
// is selected (the server ignores them then), and move focus to the error summary.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  var issues = document.querySelector("[data-not-on-track]");
  var radios = document.querySelectorAll("input[name='delivery']");
  if (!issues || !radios.length) {
    return;
  }
  function update() {
    var onTrack = document.querySelector("input[name='delivery'][value='on_track']:checked");
    issues.hidden = Boolean(onTrack);
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
