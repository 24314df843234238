// Draw each chart whose figure JSON sits next to it (see templates/includes/_chart.html) when
// it comes near the screen: a long report shows its first screen at once and draws the rest
// as they are scrolled to. Printing draws every chart not drawn yet.
(function () {
  "use strict";
  function plots() {
    return document.querySelectorAll(".chart-plot.js-plotly-plot");
  }
  function drawOne(el) {
    if (el.getAttribute("data-drawn") || !window.Plotly) { return; }
    var data = document.getElementById(el.id + "-data");
    if (!data) { return; }
    el.setAttribute("data-drawn", "true");
    var figure = JSON.parse(data.textContent);
    var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
    window.Plotly.newPlot(el, figure.data, figure.layout || {}, config);
  }
  function drawAll() {
    document.querySelectorAll(".chart-plot").forEach(drawOne);
  }
  function draw() {
    var charts = document.querySelectorAll(".chart-plot");
    // Keep each chart's height before it is drawn, so drawing it does not shift the page.
    charts.forEach(function (el) {
      var height = el.getAttribute("data-height");
      if (height) { el.style.minHeight = height + "px"; }
    });
    if (!("IntersectionObserver" in window)) {
      drawAll();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          drawOne(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (el) { observer.observe(el); });
  }
  // Printing lays the page out narrower than the screen: draw what is not drawn yet, redraw
  // the charts to the printed width so they are not cut off, and back again afterwards.
  function resize() {
    if (!window.Plotly) { return; }
    drawAll();
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
