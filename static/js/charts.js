// Draw each chart whose figure JSON sits next to it (see templates/includes/_chart.html) when
// it comes near the screen: a long report shows its first screen at once and draws the rest
// as they are scrolled to. Printing draws every chart not drawn yet.
// plotly.js itself (4.8 MB to parse) is not on the page's critical path: it is fetched when
// the first chart comes near the screen, when the page has loaded, or before printing,
// whichever comes first (its address is this script's data-plotly attribute).
(function () {
  "use strict";
  var PLOTLY_SRC = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var waiting = [];
  var requested = false;
  function withPlotly(callback) {
    if (window.Plotly || !PLOTLY_SRC) { callback(); return; }
    waiting.push(callback);
    if (requested) { return; }
    requested = true;
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.onload = function () {
      var callbacks = waiting;
      waiting = [];
      callbacks.forEach(function (fn) { fn(); });
    };
    document.head.appendChild(script);
  }
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
      withPlotly(drawAll);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          withPlotly(function () { drawOne(entry.target); });
        }
      });
    }, { rootMargin: "300px 0px" });
    charts.forEach(function (el) { observer.observe(el); });
  }
  // Printing lays the page out narrower than the screen, but "beforeprint" still runs in the
  // screen's layout: measuring the charts then gives their screen width, and the printed page
  // cut them at the A4 text width. So each chart is drawn again at its printed width, worked
  // out from the A4 text width (static/css/print.css: 210 mm less two 15 mm margins) and its
  // share of the page's width on screen, and given back its screen size afterwards.
  var PRINT_WIDTH_PX = (210 - 2 * 15) / 25.4 * 96;
  function printWidth(el) {
    var main = document.querySelector("main") || document.body;
    var share = main.clientWidth ? Math.min(1, el.clientWidth / main.clientWidth) : 1;
    return Math.floor(Math.min(el.clientWidth || PRINT_WIDTH_PX, PRINT_WIDTH_PX * share));
  }
  function fitToPrint() {
    drawAll();
    plots().forEach(function (el) {
      window.Plotly.relayout(el, { width: printWidth(el), autosize: false });
    });
  }
  function beforePrint() {
    // Printed before plotly.js arrived: the charts are drawn as soon as it has (the data
    // tables under them print open whatever happens, static/css/print.css).
    withPlotly(fitToPrint);
  }
  function afterPrint() {
    if (!window.Plotly) { return; }
    plots().forEach(function (el) {
      window.Plotly.relayout(el, { width: null, autosize: true });
    });
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  // Once the page has loaded, fetch plotly.js while the reader reads, if no chart asked yet.
  function preload() {
    if (document.querySelector(".chart-plot")) { withPlotly(function () {}); }
  }
  if (document.readyState === "complete") {
    preload();
  } else {
    window.addEventListener("load", preload);
  }
})();
