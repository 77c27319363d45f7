/* 领导驾驶舱 charts (Apache ECharts, vendored in static/vendor/echarts).
   The data comes from the page (json_script "cockpit-data"); every chart has
   a plain table under it, so the page reads and prints without JavaScript. */
(function () {
  "use strict";
  function pct(v) { return v === null || v === undefined ? null : Math.round(v * 1000) / 10; }
  function init(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  function run() {
    var node = document.getElementById("cockpit-data");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    var colours = ["#1f4e8c", "#b3261e", "#1e6b3a", "#8a5a00", "#5b3a8c", "#0f7b8a", "#86909c", "#c05a00",
                   "#3d6b1e", "#8c1f5b", "#2f4f4f"];

    if (data.top) {
      var c1 = init("chart-top");
      if (c1) {
        c1.setOption({
          color: colours, tooltip: { trigger: "axis" }, legend: { data: ["指标值", "目标"] },
          grid: { left: 48, right: 16, bottom: 90, top: 36 },
          xAxis: { type: "category", data: data.top.indicators.map(function (i) { return i.name; }),
                   axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: [
            { name: "指标值", type: "bar", data: data.top.indicators.map(function (i) { return pct(i.value); }),
              label: { show: true, position: "top", formatter: function (p) { return p.value === null ? "无数据" : p.value + "%"; } } },
            // The target of each indicator as a short horizontal mark over its bar
            // (targets differ per indicator, so a connecting line would mislead).
            { name: "目标", type: "scatter", symbol: "rect", symbolSize: [44, 3], z: 3,
              data: data.top.indicators.map(function (i) { return pct(i.target); }) }
          ]
        });
      }
    }
    var c2 = init("chart-scores");
    if (c2) {
      c2.setOption({
        color: colours, tooltip: { trigger: "axis" }, grid: { left: 48, right: 16, bottom: 80, top: 24 },
        xAxis: { type: "category", data: data.scores.map(function (s) { return s.unit; }),
                 axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", max: 100 },
        series: [{ name: "综合得分", type: "bar", data: data.scores.map(function (s) { return s.score; }),
                   label: { show: true, position: "top", formatter: function (p) { return p.value === null || p.value === undefined ? "无数据" : p.value; } } }]
      });
    }
    var c3 = init("chart-overdue");
    if (c3) {
      c3.setOption({
        color: ["#b3261e"], tooltip: { trigger: "axis" }, grid: { left: 220, right: 24, bottom: 24, top: 16 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.overdue.map(function (o) { return o.module + "：" + o.title; }) },
        series: [{ name: "逾期事项", type: "bar", data: data.overdue.map(function (o) { return o.total; }),
                   label: { show: true, position: "right" } }]
      });
    }
    if (data.trend) {
      var c4 = init("chart-trend");
      if (c4) {
        c4.setOption({
          color: colours, tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
          grid: { left: 48, right: 16, bottom: 24, top: 48 },
          xAxis: { type: "category", data: data.trend.years.map(function (y) { return y + "年"; }) },
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: data.trend.series.map(function (s) {
            return { name: s.name, type: "line", connectNulls: false, data: s.values.map(pct) };
          })
        });
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
