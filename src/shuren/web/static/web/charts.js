/* Chart cards: ECharts from the JSON payload the server rendered, with the table behind it. */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  function option(payload) {
    var series = payload.series.map(function (s) {
      if (payload.kind === "pie") {
        return { name: s.name, type: "pie", radius: ["35%", "65%"],
                 data: payload.labels.map(function (label, i) { return { name: label, value: s.data[i] }; }) };
      }
      return { name: s.name, type: payload.kind, data: s.data, smooth: payload.kind === "line" };
    });
    var base = { tooltip: { trigger: payload.kind === "pie" ? "item" : "axis" },
                 legend: { bottom: 0 }, series: series, aria: { enabled: true } };
    if (payload.kind !== "pie") {
      base.grid = { left: 48, right: 16, top: 24, bottom: 48 };
      base.xAxis = { type: "category", data: payload.labels };
      base.yAxis = { type: "value", name: payload.unit || "" };
    }
    return base;
  }

  function render(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) { return; }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(JSON.parse(source.textContent)));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-chart]").forEach(render);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-chart-toggle]");
    if (!button) { return; }
    var id = button.getAttribute("data-chart-toggle");
    var chart = document.getElementById(id);
    var table = document.getElementById(id + "-table");
    var showingTable = !table.classList.contains("d-none");
    table.classList.toggle("d-none", showingTable);
    chart.classList.toggle("d-none", !showingTable);
    button.textContent = button.getAttribute(showingTable ? "data-label-table" : "data-label-chart");
  });
})();
