// Charts of the reports, the dashboard and the impact page, drawn with ECharts (served from the jar).
// Each chart is an element with data-chart='{"type": "bar"|"pie"|"stacked", "labels": [...],
// "series": [{"name", "data": [...]}]}'; the same numbers are always in a table next to it, so the
// drawing is decoration for screen readers (role=img with a label pointing at the table).
(function () {
  "use strict";

  function dark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function option(spec) {
    var fg = dark() ? "#e6edf3" : "#1f2328";
    var base = { animation: false, textStyle: { color: fg }, tooltip: { trigger: spec.type === "pie" ? "item" : "axis" } };
    if (spec.type === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "70%"], label: { color: fg },
        data: spec.labels.map(function (l, i) { return { name: l, value: spec.series[0].data[i] }; }) }];
      return base;
    }
    var legend = spec.type === "stacked" || spec.series.length > 1;
    base.grid = { left: 8, right: 8, top: legend ? 32 : 12, bottom: 8, containLabel: true };
    base.xAxis = { type: "category", data: spec.labels, axisLabel: { color: fg, interval: 0, rotate: spec.labels.length > 6 ? 30 : 0 } };
    base.yAxis = { type: "value", minInterval: 1, axisLabel: { color: fg } };
    if (legend) base.legend = { top: 0, textStyle: { color: fg } };
    // one series: a colour per bar, as the pie has per slice; stacked: a colour per series, named in the legend
    base.series = spec.series.map(function (s) {
      return { name: s.name, type: "bar", stack: spec.type === "stacked" ? "all" : undefined, data: s.data,
        colorBy: spec.series.length === 1 && spec.type !== "stacked" ? "data" : "series" };
    });
    return base;
  }

  function draw(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(el.getAttribute("data-chart"))));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
