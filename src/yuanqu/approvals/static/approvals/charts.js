// 审批时效 trend: share of cases on time by month (and, on a scenario's page, the median working
// days on a second axis). Data from json_script "<chart id>-data"; no inline script (CSP).
(function () {
  if (!window.echarts) return;
  document.querySelectorAll(".approvals-chart").forEach(function (el) {
    const node = document.getElementById(el.id + "-data");
    if (!node) return;
    const data = JSON.parse(node.textContent);
    const both = el.dataset.kind === "both";
    const series = [];
    data.series.forEach(function (s) {
      series.push({ name: s.name + " 按时率", type: "line", data: s.share, connectNulls: false, yAxisIndex: 0 });
      if (both) {
        series.push({ name: s.name + " 用时中位数", type: "bar", data: s.median, yAxisIndex: 1,
          markLine: { symbol: "none", data: [{ yAxis: s.target, name: "目标" }], label: { formatter: "目标 {c}" } } });
      }
    });
    const axes = [{ type: "value", name: "%", min: 0, max: 100 }];
    if (both) axes.push({ type: "value", name: "工作日", minInterval: 1 });
    echarts.init(el, null, { renderer: "svg" }).setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: both ? 48 : 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: axes,
      series: series,
    });
  });
})();
