/* kccperf's small enhancements, loaded on every page. Pages work without them. */

/* The error summary (GOV.UK pattern): focused when the page loads, so screen readers announce
   it; its links move focus to the field without adding a #fragment to the address (which would
   otherwise follow the form's redirect after a successful submit). */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    var input = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input, select, textarea");
    if (!input) return;
    event.preventDefault();
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    var label = document.querySelector("label[for='" + input.id + "']");
    (legend || label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();

/* A table wider than its wrapper scrolls inside it (never the page). Such a wrapper becomes a
   labelled region people can focus and scroll with the arrow keys (WCAG 2.1.1, 1.4.10), named
   after the table's caption, else the heading before it. Checked again when the window resizes. */
(function () {
  "use strict";
  function labelFor(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var el = wrapper;
    while (el && el !== document.body) {
      var prev = el.previousElementSibling;
      while (prev) {
        var heading = /^H[1-6]$/.test(prev.tagName) ? prev : prev.querySelector("h1,h2,h3,h4,h5,h6");
        if (heading) return heading.textContent.trim();
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return "Table";
  }
  function update() {
    var wrappers = document.querySelectorAll(".table-wrapper, .table-container");
    // Every size is read first, then the attributes written: a write between two reads would
    // make the browser lay the page out again at each wrapper. Tables inside a closed
    // <details> (a chart's data) are not laid out until opened, and measuring one would lay
    // it out: seconds on a report with hundreds of charts. They are checked when opened.
    var scrolling = [];
    for (var i = 0; i < wrappers.length; i++) {
      var w = wrappers[i];
      if (w.closest("details:not([open])")) {
        scrolling.push(null);
        continue;
      }
      var inner = w.querySelector(".table-wrapper, .table-container");
      scrolling.push(!inner && w.scrollWidth > w.clientWidth + 1);
    }
    for (var j = 0; j < wrappers.length; j++) {
      var el = wrappers[j];
      var scrolls = scrolling[j];
      if (scrolls === null) continue;
      if (scrolls && !el.hasAttribute("data-scrolls")) {
        el.setAttribute("data-scrolls", "");
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", labelFor(el) + " (scrolls sideways)");
        el.classList.add("table-scrolls");
      } else if (!scrolls && el.hasAttribute("data-scrolls")) {
        el.removeAttribute("data-scrolls");
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
        el.classList.remove("table-scrolls");
      }
    }
  }
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 100); });
  // "toggle" does not bubble: listened for on the way down.
  document.addEventListener("toggle", function (event) {
    if (event.target.open) update();
  }, true);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  window.kccperfTables = update;
})();

/* A button marked data-print prints the page (no inline onclick: the Content-Security-Policy). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();

/* Printed pages carry a running header naming the page (report, quarter, draft or published):
   static/css/print.css shows --print-header in the top margin of every page; the text comes
   from <body data-print-header>, made a CSS string here (the margin boxes cannot read it from
   an element, and the Content-Security-Policy allows no inline style). */
(function () {
  "use strict";
  var text = document.body.getAttribute("data-print-header");
  if (!text) return;
  var quoted = '"' + text.replace(/\s+/g, " ").replace(/[\\"]/g, "\\$&") + '"';
  document.documentElement.style.setProperty("--print-header", quoted);
})();
