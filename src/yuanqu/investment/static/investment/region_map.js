// 招商地图: China's provinces (or one province's cities) from the npm package china-geojson, served
// by the platform itself; each region coloured by its count; a click opens the list behind it.
(function () {
  "use strict";
  const el = document.getElementById("region-map");
  const node = document.getElementById("region-map-data");
  if (!el || !node || !window.echarts) return;
  const data = JSON.parse(node.textContent);
  const html = echarts.format.encodeHTML;
  // The map names cities “深圳市”, “阿克苏地区”; the register may hold “深圳”: compare without suffix.
  const key = (name) => String(name || "").replace(/(市|地区|盟|自治州|特别行政区|特区)$/, "");

  fetch(data.geo, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((geojson) => {
      const mapName = "yuanqu-regions-" + data.level;
      echarts.registerMap(mapName, geojson);
      const featureName = {};
      geojson.features.forEach((f) => { featureName[key(f.properties.name)] = f.properties.name; });
      const regions = data.regions.map((r) => Object.assign({}, r, { name: featureName[key(r.name)] || r.name }));
      const max = Math.max(1, ...regions.map((r) => r.value));
      const chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: (p) => {
            const d = p.data;
            if (!d) return html(p.name) + "：0";
            return "<b>" + html(p.name) + "</b>：" + d.value + (data.show === "leads" ? " 条线索<br>人民币投资额 " +
              d.amount.toFixed(2) + " 亿元" : " 家目标企业") + "<br>点击查看清单";
          },
        },
        visualMap: {
          min: 0, max: max, left: 10, bottom: 10, calculable: false, itemHeight: 100,
          text: ["多", "少"], inRange: { color: ["#e7f1ff", "#0d6efd", "#052c65"] },
        },
        series: [{
          type: "map", map: mapName, roam: true, zoom: data.level === "province" ? 1.15 : 1,
          label: { show: data.level === "city", fontSize: 10 },
          emphasis: { label: { show: true } }, select: { disabled: true },
          itemStyle: { borderColor: "#999", borderWidth: 0.5, areaColor: "#f8f9fa" },
          data: regions,
        }],
      });
      chart.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
      el.dataset.ready = "1";  // the browser test waits for the drawn map
      if (window.ResizeObserver) new ResizeObserver(() => chart.resize()).observe(el);
    })
    .catch(() => { el.textContent = "地图数据无法读取，请刷新页面后重试；右侧表格中的数据不受影响。"; });
})();
