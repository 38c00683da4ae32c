/* Leaders' cockpit: draws the charts from the page's JSON (#cockpit-data).
   Every clickable element carries its URL in the chart data; a click sets window.location to it. */
(function () {
  "use strict";

  // The plan picker needs no button when scripts run.
  const picker = document.getElementById("ck-plan");
  if (picker) picker.addEventListener("change", function () { picker.form.submit(); });

  const full = document.getElementById("ck-fullscreen");
  const root = document.getElementById("cockpit");
  if (full && root && root.requestFullscreen) {
    full.classList.remove("d-none");
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else root.requestFullscreen();
    });
  }

  const node = document.getElementById("cockpit-data");
  if (!node || !window.echarts) return;
  const data = JSON.parse(node.textContent);
  const css = getComputedStyle(document.documentElement);
  const NAVY = (css.getPropertyValue("--yq-navy-dark") || "").trim() || "#0c2a52";
  // Colours follow the badges' stylesheet when it defines them, so charts and badges agree.
  const colour = {};
  data.statuses.forEach(function (s) {
    colour[s.value] = (css.getPropertyValue("--st-" + s.value) || "").trim() || s.color;
  });
  const FONT = css.getPropertyValue("--bs-body-font-family") || "sans-serif";
  const charts = [];

  function go(url) {
    if (url) window.location.href = url;
  }

  function pct(v) {
    return v === null || v === undefined ? "—" : v.toFixed(1) + "%";
  }

  function mount(id, option, fallbackUrl) {
    const el = document.getElementById(id);
    if (!el) return null;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ textStyle: { fontFamily: FONT }, animationDuration: 400 }, option));
    chart.on("click", function (p) {
      go((p.data && p.data.url) || (fallbackUrl && fallbackUrl(p)));
    });
    charts.push(chart);
    if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
    return chart;
  }

  // ---------------------------------------------------------------- sections
  function sectionsChart() {
    const sections = data.sections;
    if (!sections.length) return;
    const names = sections.map(function (s) { return s.label; });
    const series = data.statuses.map(function (st) {
      return {
        id: st.value,
        name: st.label,
        type: "bar",
        stack: "count",
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 26,
        itemStyle: { color: colour[st.value] },
        label: {
          show: true, color: st.value === "yellow" ? "#332400" : "#fff", fontSize: 11,
          formatter: function (p) { return p.value ? p.value : ""; },
        },
        emphasis: { focus: "none" },
        data: sections.map(function (s) {
          return { value: s.counts[st.value], url: s.urls[st.value], section: s.name, status: st.label };
        }),
      };
    });
    series.push({
      id: "completion",
      name: "平均完成率",
      type: "bar",
      xAxisIndex: 1,
      yAxisIndex: 1,
      barMaxWidth: 18,
      data: sections.map(function (s) {
        return {
          value: s.completion, url: s.url, section: s.name, schedule: s.schedule,
          itemStyle: { color: colour[s.tone], opacity: 0.9 },
        };
      }),
    });
    series.push({
      id: "schedule",
      name: "序时进度",
      type: "scatter",
      xAxisIndex: 1,
      yAxisIndex: 1,
      symbol: "rect",
      symbolSize: [3, 24],
      itemStyle: { color: NAVY },
      z: 5,
      data: sections.map(function (s, i) {
        return { value: [s.schedule, i], url: s.url, section: s.name, completion: s.completion };
      }).filter(function (d) { return d.value[0] !== null; }),
    });
    const category = { type: "category", data: names, inverse: true, axisTick: { show: false } };
    mount("chart-sections", {
      title: [
        { text: "目标数（个）", left: 0, top: 0, textStyle: { fontSize: 12, fontWeight: "normal", color: "#6c757d" } },
        { text: "平均完成率 / 序时进度", left: "61%", top: 0,
          textStyle: { fontSize: 12, fontWeight: "normal", color: "#6c757d" } },
      ],
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          // Tooltips are HTML: section titles come from plan text and must be escaped.
          const d = p.data || {};
          const section = echarts.format.encodeHTML(d.section || "");
          if (p.seriesId === "completion") {
            return section + "<br>平均完成率 " + pct(d.value) + "，序时进度 " + pct(d.schedule) +
              "<br><span style=\"color:#6c757d\">不含控制类指标和尚未开始的目标；点击查看该章节目标</span>";
          }
          if (p.seriesId === "schedule") {
            return section + "<br>序时进度 " + pct(d.value[0]) + "，平均完成率 " + pct(d.completion);
          }
          return section + "<br>" + p.marker + echarts.format.encodeHTML(d.status || "") + "：" + p.value + " 个<br>点击查看这些目标";
        },
      },
      grid: [
        { left: 4, right: "44%", top: 26, bottom: 4, containLabel: true },
        { left: "61%", right: 14, top: 26, bottom: 4, containLabel: true },
      ],
      xAxis: [
        { type: "value", gridIndex: 0, position: "top", minInterval: 1, splitLine: { lineStyle: { color: "#eef1f5" } } },
        { type: "value", gridIndex: 1, position: "top", min: 0, max: 100, interval: 50,
          axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: "#eef1f5" } } },
      ],
      yAxis: [
        Object.assign({ gridIndex: 0, axisLabel: { color: "#34475f", fontSize: 12 } }, category),
        // The right-hand axis lists each section's figures: completion / 序时进度.
        Object.assign({}, category, {
          gridIndex: 1, position: "right", axisLine: { show: false },
          axisLabel: {
            margin: 8, fontSize: 12, color: "#1f3b63",
            formatter: function (_value, i) {
              return pct(sections[i].completion) + " / " + pct(sections[i].schedule);
            },
          },
        }),
      ],
      series: series,
    });
  }

  // ---------------------------------------------------------------- monthly trend
  function trendChart() {
    const trend = data.trend;
    if (!trend.months.length) return;
    const urls = data.statuses.map(function (st) { return trend.urls[st.value]; });
    mount("chart-trend", {
      color: data.statuses.map(function (st) { return colour[st.value]; }),
      tooltip: { trigger: "axis" },
      legend: { top: 0, icon: "roundRect", itemWidth: 12, itemHeight: 8, selectedMode: false },
      grid: { left: 4, right: 18, top: 34, bottom: 4, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, data: trend.months },
      yAxis: { type: "value", minInterval: 1, name: "目标数", nameTextStyle: { color: "#6c757d" },
               splitLine: { lineStyle: { color: "#eef1f5" } } },
      series: data.statuses.map(function (st) {
        return {
          id: st.value,
          name: st.label,
          type: "line",
          stack: "status",
          smooth: false,
          symbol: "circle",
          symbolSize: 6,
          triggerLineEvent: true,
          lineStyle: { width: 1 },
          areaStyle: { opacity: 0.85 },
          emphasis: { focus: "series" },
          data: trend.series[st.value].map(function (v) { return { value: v, url: trend.urls[st.value] }; }),
        };
      }),
    }, function (p) { return urls[p.seriesIndex]; });
  }

  sectionsChart();
  trendChart();
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
