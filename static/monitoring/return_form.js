// Progressive enhancement of the return form: show the issue questions only once "remedial
// action" or "unlikely" is selected (the server ignores them otherwise; without JavaScript
// they are all shown). static/js/kccperf.js focuses the error summary.
(function () {
  "use strict";
  var issues = document.querySelector("[data-not-on-track]");
  var radios = document.querySelectorAll("input[name='delivery']");
  if (!issues || !radios.length) {
    return;
  }
  function update() {
    var notOnTrack = document.querySelector(
      "input[name='delivery'][value='remedial']:checked, input[name='delivery'][value='unlikely']:checked"
    );
    issues.hidden = !notOnTrack;
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
