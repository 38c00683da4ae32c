// The chain page: the tree drawn by ECharts (served locally), coloured by each node's status;
// clicking a node (in the tree or the list) loads its panel: status, enterprises, edit links.
(function () {
  "use strict";
  const script = document.currentScript;
  const panelUrl = (id) => script.dataset.panelUrl.replace(/0\/$/, id + "/");
  const panel = document.getElementById("node-panel");

  function showNode(id) {
    if (!id) return;
    fetch(panelUrl(id), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        panel.innerHTML = html;
        const url = new URL(window.location);
        url.searchParams.set("node", id);
        window.history.replaceState(null, "", url);
      })
      .catch(() => { panel.textContent = "无法读取该节点，请刷新页面后重试。"; });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".yq-node-link");
    if (!link) return;
    event.preventDefault();
    showNode(link.dataset.node);
  });

  const el = document.getElementById("chain-tree");
  const data = JSON.parse(document.getElementById("chain-data").textContent);
  if (el && window.echarts) {
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const d = p.data;
          if (!d.id) return echarts.format.encodeHTML(d.name);
          const action = d.action ? "（" + d.action + "）" : "";
          return echarts.format.encodeHTML(d.code + " " + d.name) + "<br>" + d.status + action +
            "：企业 " + d.enterprises + " 家，产值 " + d.output.toFixed(2) + " 亿元";
        },
      },
      series: [{
        type: "tree", data: [data], orient: "LR", top: 10, bottom: 10, left: 90, right: 200,
        symbol: "circle", symbolSize: 11, initialTreeDepth: -1, expandAndCollapse: false, roam: false,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
        leaves: { label: { position: "right", align: "left" } },
      }],
    });
    chart.on("click", (p) => { if (p.data && p.data.id) showNode(p.data.id); });
    window.addEventListener("resize", () => chart.resize());
    // Drawn inside a hidden tab (the list shown first), the chart has no size until its tab opens.
    document.addEventListener("shown.bs.tab", () => chart.resize());
  }
  showNode(new URLSearchParams(window.location.search).get("node"));
})();
