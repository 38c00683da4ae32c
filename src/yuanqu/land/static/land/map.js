// Park map: parcels drawn from the platform's own GeoJSON (registered as a custom ECharts map, no
// internet tiles), coloured by status; a click opens the parcel.
(function () {
  if (!window.echarts) return;
  document.querySelectorAll(".land-map").forEach(function (el) {
    const node = document.getElementById(el.id + "-data");
    if (!node) return;
    const data = JSON.parse(node.textContent);
    const mapName = "yuanqu-" + el.id;
    echarts.registerMap(mapName, data.geojson);
    const html = echarts.format.encodeHTML;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          const d = p.data || {};
          if (!d.title) return html(p.name);
          return "<b>" + html(d.name) + " " + html(d.title) + "</b><br>" + html(d.status_label) + " · " +
            d.area.toFixed(2) + " 亩" + (d.use ? "<br>" + html(d.use) : "") + (d.holder ? "<br>" + html(d.holder) : "");
        },
      },
      series: [{
        type: "map",
        map: mapName,
        roam: true,
        aspectScale: 0.85, // longitude degrees are shorter than latitude degrees at the park's latitude
        label: { show: data.parcels.length <= 60, fontSize: 10, formatter: "{b}" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: null, borderWidth: 2 } },
        select: { disabled: true },
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        data: data.parcels.map(function (p) {
          return Object.assign({ value: p.area, itemStyle: { areaColor: p.colour } }, p);
        }),
      }],
    });
    chart.on("click", function (p) {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
    if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
  });
})();
