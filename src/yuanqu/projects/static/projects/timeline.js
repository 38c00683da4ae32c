// The project page's timeline: per gate its planned date (hollow) and actual date (filled), late
// gates in red, a line at today. Data from the page's json_script (no inline script under the CSP).
(function () {
  "use strict";
  const el = document.getElementById("project-timeline");
  const source = document.getElementById("timeline-data");
  if (!el || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const names = data.stages.map((s) => s.stage);
  const point = (s, key) => (s[key] ? [s[key], s.stage] : null);
  const planned = data.stages.map((s) => ({
    value: point(s, "planned"),
    itemStyle: { color: "#fff", borderColor: s.late ? "#dc3545" : "#6c757d", borderWidth: 2 },
  })).filter((p) => p.value);
  const actual = data.stages.map((s) => ({ value: point(s, "actual"), itemStyle: { color: "#198754" } }))
    .filter((p) => p.value);
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    grid: { left: 50, right: 20, top: 30, bottom: 30 },
    legend: { data: ["计划", "实际"], top: 0 },
    tooltip: { trigger: "item", formatter: (p) => echarts.format.encodeHTML(p.seriesName + " " + p.value[1] + "：" + p.value[0]) },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: names, inverse: true },
    series: [
      { name: "计划", type: "scatter", symbol: "circle", symbolSize: 12, data: planned,
        markLine: { symbol: "none", silent: true, lineStyle: { color: "#0d6efd", type: "dashed" },
                    label: { formatter: "今天" }, data: [{ xAxis: data.today }] } },
      { name: "实际", type: "scatter", symbol: "diamond", symbolSize: 14, data: actual },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
