/* Chart cards (web/components/chart_card.html; payloads built by shuren.core.charts).
 *
 * The server renders the table of each chart's figures, visible, and the chart's place, hidden: a page
 * without JavaScript (or without ECharts) shows the tables. Here each chart is drawn, its table hidden
 * behind the "Show table" button. The charts tell the truth: counts on whole-number axes, rates on an
 * axis from 0 to 100, lines never smoothed, every category labelled (bars lie down when their labels
 * would not fit side by side; the labels of a long axis turn, and the chart scrolls sideways when even
 * turned they would not fit), no animation for those who asked for reduced motion. */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  var FONT_SIZE = 12;
  var BAR_HEIGHT = 30;       // the room of one horizontal bar with its label, in px
  var AXIS_ROOM = 72;        // what a vertical chart's axes and legend take from its width
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var measurer = document.createElement("canvas").getContext("2d");
  var chinese = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;

  function textWidth(text) {
    if (!measurer) { return String(text).length * FONT_SIZE; }
    measurer.font = FONT_SIZE + "px sans-serif";
    return measurer.measureText(String(text)).width;
  }

  function widest(labels) {
    return labels.reduce(function (most, label) { return Math.max(most, textWidth(label)); }, 0);
  }

  function wholeNumber(value) {
    return Math.round(value) === value ? String(value) : "";
  }

  function valueAxis(payload) {
    var axis = { type: "value", name: payload.percent ? "" : (payload.unit || ""), axisLabel: {} };
    if (payload.integer) {
      axis.minInterval = 1;                 // no tick at 0.2 or 0.5 of a person
      axis.axisLabel.formatter = wholeNumber;
    }
    if (payload.percent) {
      axis.min = 0;
      axis.max = 100;
      axis.axisLabel.formatter = "{value}%";
    }
    return axis;
  }

  /* How the categories are laid out at this width: side by side, turned, or bars lying down. */
  function layout(payload, width) {
    var count = payload.labels.length;
    var longest = widest(payload.labels);
    var slot = Math.max(width - AXIS_ROOM, 120) / Math.max(count, 1);
    if (longest + 8 <= slot) {
      return { horizontal: false, rotate: 0, minWidth: 0, longest: longest };
    }
    if (payload.kind === "bar") {
      return { horizontal: true, rotate: 0, minWidth: 0, longest: longest };
    }
    var turnedSlot = FONT_SIZE + 2;         // a turned label takes its line height
    return {
      horizontal: false,
      rotate: 90,
      minWidth: turnedSlot > slot ? Math.ceil(count * turnedSlot + AXIS_ROOM) : 0,
      longest: longest
    };
  }

  // The series take the theme's colours (the design tokens in shuren.css), not ECharts' own palette.
  function palette() {
    var style = window.getComputedStyle(document.documentElement);
    var names = ["--sr-primary", "--sr-info", "--sr-warning", "--sr-success", "--sr-secondary", "--sr-primary-dark",
                 "--sr-danger"];
    var colours = names.map(function (name) { return style.getPropertyValue(name).trim(); })
      .filter(function (value) { return value !== ""; });
    return colours.length ? colours : undefined;
  }

  function option(payload, width) {
    var tooltipValue = payload.percent ? function (v) { return v == null ? "—" : v + "%"; } : undefined;
    var base = {
      animation: !reducedMotion,
      color: palette(),
      aria: { enabled: true },
      textStyle: { fontSize: FONT_SIZE },
      tooltip: { trigger: payload.kind === "pie" ? "item" : "axis", valueFormatter: tooltipValue }
    };
    if (payload.kind === "pie") {
      var slices = payload.series[0];
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{
        name: slices.name, type: "pie", radius: ["35%", "62%"], top: 0, bottom: 32,
        label: { formatter: chinese ? "{b}：{c}" : "{b}: {c}" },
        data: payload.labels.map(function (label, i) { return { name: label, value: slices.data[i] }; })
      }];
      return { option: base, height: null, minWidth: 0 };
    }
    var plan = layout(payload, width);
    var several = payload.series.length > 1;
    base.legend = { show: several, bottom: 0 };
    base.grid = { containLabel: true, left: 8, right: 24, top: payload.unit && !payload.percent ? 32 : 16,
                  bottom: several ? 36 : 8 };
    base.series = payload.series.map(function (s) {
      var one = { name: s.name, type: payload.kind, data: s.data };
      if (payload.kind === "line") {
        one.smooth = false;                 // a day's count is a point, not a wave
        one.connectNulls = false;
        one.symbolSize = 5;
      }
      return one;
    });
    var labels = { interval: 0, hideOverlap: false, rotate: plan.rotate };
    var category = { type: "category", data: payload.labels, axisLabel: labels, axisTick: { alignWithLabel: true } };
    var height = null;
    if (plan.horizontal) {
      var room = Math.max(Math.min(plan.longest, width * 0.4), FONT_SIZE * 4);
      var lines = Math.ceil(plan.longest / room);
      labels.width = room;
      labels.overflow = "break";            // a long name wraps; it is never cut
      category.inverse = true;              // the first category on top, as in the table
      base.xAxis = valueAxis(payload);
      base.yAxis = category;
      height = payload.labels.length * Math.max(BAR_HEIGHT, lines * (FONT_SIZE + 4) + 8) + 72;
    } else {
      base.xAxis = category;
      base.yAxis = valueAxis(payload);
    }
    return { option: base, height: height, minWidth: plan.minWidth };
  }

  function draw(element, payload) {
    var holder = element.parentNode;
    var planned = option(payload, holder.clientWidth || 480);
    element.style.height = planned.height ? planned.height + "px" : "";
    element.style.minWidth = planned.minWidth ? planned.minWidth + "px" : "";
    holder.style.overflowX = planned.minWidth ? "auto" : "";
    // A chart wider than its card scrolls sideways: the keyboard must reach it too (WCAG 2.1.1).
    if (planned.minWidth) {
      holder.setAttribute("tabindex", "0");
      holder.setAttribute("role", "region");
      holder.setAttribute("aria-label", element.getAttribute("aria-label") || "");
    } else {
      holder.removeAttribute("tabindex");
      holder.removeAttribute("role");
      holder.removeAttribute("aria-label");
    }
    var chart = window.echarts.getInstanceByDom(element) || window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(planned.option, true);
    chart.resize();
  }

  function render(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) { return; }
    var payload = JSON.parse(source.textContent);
    var table = document.getElementById(element.id + "-table");
    var toggle = document.querySelector('[data-chart-toggle="' + element.id + '"]');
    element.hidden = false;
    if (table) { table.classList.add("d-none"); }
    if (toggle) { toggle.hidden = false; }
    draw(element, payload);
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        if (!element.classList.contains("d-none")) { draw(element, payload); }
      }, 150);
    });
    element.shuren_redraw = function () { draw(element, payload); };
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
    if (showingTable && chart.shuren_redraw) { chart.shuren_redraw(); }  // the width may have changed meanwhile
  });
})();
