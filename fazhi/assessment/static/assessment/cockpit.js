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
  // A bar opens what it counts: url(params) gives the page (a drill-down, a unit's row, a module's list).
  function linkBars(chart, url) {
    chart.on("click", function (params) {
      var target = url(params);
      if (target) { window.location.href = target; }
    });
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
          color: colours, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { data: ["指标值", "目标"] },
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
        linkBars(c1, function (p) { return data.top.indicators[p.dataIndex].url; });
      }
    }
    var c2 = init("chart-scores");
    if (c2) {
      c2.setOption({
        color: colours, tooltip: { trigger: "axis", renderMode: "richText" }, grid: { left: 48, right: 16, bottom: 80, top: 24 },
        xAxis: { type: "category", data: data.scores.map(function (s) { return s.unit; }),
                 axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", max: 100 },
        // A unit shown but not ranked (数据不足) is drawn grey and says so over its bar.
        series: [{ name: "综合得分", type: "bar",
                   data: data.scores.map(function (s) {
                     return s.ranked ? s.score : { value: s.score, itemStyle: { color: "#9aa5b1" } };
                   }),
                   label: { show: true, position: "top", formatter: function (p) {
                     if (p.value === null || p.value === undefined) { return "无数据"; }
                     return data.scores[p.dataIndex].ranked ? p.value : p.value + "（数据不足）";
                   } } }]
      });
      linkBars(c2, function (p) { return data.scores[p.dataIndex].url; });
    }
    var c3 = data.overdue.series.length ? init("chart-overdue") : null;
    if (c3) {
      // Counts by unit, one stacked colour per kind of overdue item.
      c3.setOption({
        color: colours, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { type: "scroll", top: 0 },
        grid: { left: 48, right: 16, bottom: 80, top: 40 },
        xAxis: { type: "category", data: data.overdue.units, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.overdue.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "overdue", data: s.values };
        })
      });
      linkBars(c3, function (p) { return data.overdue.series[p.seriesIndex].url; });
    }
    if (data.trend) {
      var c4 = init("chart-trend");
      if (c4) {
        c4.setOption({
          color: colours, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { type: "scroll", top: 0 },
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
