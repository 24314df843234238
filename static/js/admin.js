/* Names for the controls Django's admin leaves without one (axe-core: label, select-name,
   label-title-only, aria-input-field-name, aria-prohibited-attr, empty-table-header):
   inputs in editable lists and tabular inlines are named after their column and row. */
(function () {
  "use strict";
  function hidden(text) {
    var span = document.createElement("span");
    span.textContent = text;
    span.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
    return span;
  }
  function nameTables() {
    document.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll("thead tr:last-child th");
      heads.forEach(function (th) {
        if (!th.textContent.trim()) th.appendChild(hidden(th.classList.contains("original") ? "Saved item" : "Column"));
      });
      table.querySelectorAll("tbody tr").forEach(function (tr, r) {
        var first = tr.querySelector("th, td.original p, td.field-__str__");
        var row = first && first.textContent.trim() ? first.textContent.trim() : "row " + (r + 1);
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
            if ((el.labels && el.labels.length && el.labels[0].textContent.trim()) || el.getAttribute("aria-label")) return;
            var head = heads[i] ? heads[i].textContent.trim() : (el.title || el.name);
            el.setAttribute("aria-label", (head || el.name) + ", " + row);
          });
        });
      });
    });
  }
  function nameWidgets() {
    // The search icons of "filter horizontal" boxes carry aria-label: give them a role that allows one.
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
    // Autocomplete (select2) boxes: named after the select's label.
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector("label[for='" + select.id + "']");
      if (!label) return;
      var name = label.textContent.replace(/:$/, "").trim();
      box.setAttribute("aria-label", name);
      container.querySelectorAll("[role=textbox]").forEach(function (el) { el.setAttribute("aria-label", name); });
    });
    // Date and time boxes of a date-time field: "Written at, date" and "Written at, time".
    document.querySelectorAll("p.datetime").forEach(function (p) {
      var inputs = p.querySelectorAll("input:not([type=hidden])");
      var first = inputs[0] && inputs[0].id ? inputs[0].id.replace(/_0$/, "") : "";
      var label = document.querySelector("label[for='" + first + "_0']") || document.querySelector("label[for='" + first + "']");
      var name = label ? label.textContent.replace(/:$/, "").trim() : "Date";
      ["date", "time"].forEach(function (part, i) {
        if (inputs[i] && !(inputs[i].labels && inputs[i].labels.length)) inputs[i].setAttribute("aria-label", name + ", " + part);
      });
    });
  }
  function run() { nameTables(); nameWidgets(); }
  function start() {
    run();
    // The autocomplete boxes are drawn by jQuery once the page is ready: name them then too.
    setTimeout(nameWidgets, 200);
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
  // Rows added with "Add another" get names too.
  document.addEventListener("formset:added", function () { setTimeout(run, 0); });
})();
