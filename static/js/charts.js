// Draw every chart whose figure JSON sits next to it (see templates/includes/_chart.html).
(function () {
  "use strict";
  function plots() {
    return document.querySelectorAll(".chart-plot.js-plotly-plot");
  }
  function draw() {
    document.querySelectorAll(".chart-plot").forEach(function (el) {
      var data = document.getElementById(el.id + "-data");
      if (!data || !window.Plotly) { return; }
      var figure = JSON.parse(data.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
      window.Plotly.newPlot(el, figure.data, figure.layout || {}, config);
    });
  }
  // Printing lays the page out narrower than the screen: redraw the charts to the printed
  // width so they are not cut off, and back again afterwards.
  function resize() {
    if (!window.Plotly) { return; }
    plots().forEach(function (el) { window.Plotly.Plots.resize(el); });
  }
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) { print.addEventListener("change", resize); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
