// Draw every chart whose figure JSON sits next to it (see templates/includes/_chart.html).
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll(".chart-plot").forEach(function (el) {
      var data = document.getElementById(el.id + "-data");
      if (!data || !window.Plotly) { return; }
      var figure = JSON.parse(data.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
      window.Plotly.newPlot(el, figure.data, figure.layout || {}, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
