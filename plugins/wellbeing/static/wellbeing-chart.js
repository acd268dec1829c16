/* Draws a chart above every <table data-wellbeing-chart="line|bar"> from the table itself.
 * Columns whose header has data-series become data sets; each row's first cell (data-label, else
 * its text) is the label, and each cell's data-value its number (empty: no value); data-min,
 * data-max and data-counts (whole numbers) shape the value axis. The table
 * stays on the page as the accessible version, and without JavaScript it is all there is. */
(function () {
  "use strict";

  function read(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var columns = [];
    headers.forEach(function (th, index) { if (th.hasAttribute("data-series")) { columns.push(index); } });
    var labels = [];
    var series = columns.map(function () { return []; });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var cells = row.children;
      labels.push(cells[0].getAttribute("data-label") || cells[0].textContent.trim());
      columns.forEach(function (column, s) {
        var raw = cells[column] ? cells[column].getAttribute("data-value") : "";
        series[s].push(raw === null || raw === "" ? null : Number(raw));
      });
    });
    return {
      labels: labels,
      datasets: columns.map(function (column, s) {
        return { label: headers[column].textContent.trim(), data: series[s] };
      })
    };
  }

  function draw(table) {
    var holder = document.createElement("div");
    holder.className = "wb-chart-canvas";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.caption ? table.caption.textContent.trim() : "");
    holder.appendChild(canvas);
    table.parentNode.insertBefore(holder, table);
    var scale = { beginAtZero: true };
    if (table.dataset.min) { scale.min = Number(table.dataset.min); }
    if (table.dataset.max) { scale.max = Number(table.dataset.max); }
    if (table.hasAttribute("data-counts")) { scale.ticks = { precision: 0 }; }
    return new window.Chart(canvas, {
      type: table.getAttribute("data-wellbeing-chart") || "line",
      data: read(table),
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: scale } }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Chart === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("table[data-wellbeing-chart]"), function (table) {
      draw(table);
      table.setAttribute("data-chart-drawn", "");
    });
  });
}());
