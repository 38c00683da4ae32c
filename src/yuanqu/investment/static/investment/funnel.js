// The stage funnel and the units' ranking (ECharts, served locally); a click opens the leads behind.
(function () {
  "use strict";
  const node = document.getElementById("funnel-data");
  if (!node || !window.echarts) return;
  const data = JSON.parse(node.textContent);
  const html = echarts.format.encodeHTML;
  const open = (p) => { if (p.data && p.data.url) window.location.href = p.data.url; };
  const charts = [];

  const funnelEl = document.getElementById("funnel-chart");
  if (funnelEl) {
    const chart = echarts.init(funnelEl, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => "<b>" + html(p.name) + "</b><br>到达 " + p.data.value + " 条，人民币 " +
          p.data.amount.toFixed(2) + " 亿元<br>现处该阶段 " + p.data.now + " 条",
      },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", top: 10, bottom: 10, minSize: "12%", gap: 2,
        label: { position: "inside", formatter: (p) => p.name + " " + p.data.value },
        data: data.stages,
      }],
    });
    chart.on("click", open);
    charts.push(chart);
  }

  const rankingEl = document.getElementById("ranking-chart");
  if (rankingEl && data.ranking.length) {
    const rows = data.ranking.slice().reverse();  // the first ranked on top
    const chart = echarts.init(rankingEl, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["签约", "在谈"], top: 0 },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map((r) => r.name) },
      series: [
        { name: "签约", type: "bar", data: rows.map((r) => ({ value: r.signed, url: r.url })), itemStyle: { color: "#198754" } },
        { name: "在谈", type: "bar", data: rows.map((r) => ({ value: r.open, url: r.url })), itemStyle: { color: "#0d6efd" } },
      ],
    });
    chart.on("click", open);
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
