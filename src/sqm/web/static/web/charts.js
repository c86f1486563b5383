/* Draw every chart of a page: <div data-figure="ID"> takes the figure JSON written by
   {{ figure|json_script:"ID" }} (built by sqm.lib.charts, themed and escaped there).
   Loaded by {% chart_scripts %} after Plotly itself; the locale follows the page's language.

   The plotly wheel ships no locale files (plotly.js keeps them in its npm package), so the
   Chinese one is written here: the few UI strings a chart without a mode bar can show, and the
   date names d3 uses (the axes show dates as numbers anyway, see sqm.lib.charts.DATE_AXIS). */
(function () {
  if (typeof Plotly === "undefined") { return; }
  Plotly.register({
    moduleType: "locale",
    name: "zh-CN",
    dictionary: {
      "Autoscale": "自动缩放",
      "Double-click to zoom back out": "双击返回缩小显示",
      "Reset axes": "重置轴",
      "Zoom in": "放大",
      "Zoom out": "缩小",
      "Zoom": "缩放",
      "Pan": "平移",
      "Download plot as a png": "下载图表为 PNG 格式",
      "trace": "数据",
      "max": "最大值",
      "min": "最小值",
      "median": "中位数",
      "mean ± σ": "平均值 ± σ",
      "mean": "平均值",
      "q1": "下四分位数",
      "q3": "上四分位数"
    },
    format: {
      days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
      shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月",
        "十一月", "十二月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
        "11月", "12月"],
      date: "%Y-%m-%d",
      decimal: ".",
      thousands: ","
    }
  });
  var language = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  var locale = language.indexOf("zh") === 0 ? "zh-CN" : "en";
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var data = document.getElementById(element.getAttribute("data-figure"));
    if (!data) { return; }
    var figure = JSON.parse(data.textContent);
    Plotly.newPlot(element, figure.data, figure.layout,
      {displayModeBar: false, responsive: true, locale: locale});
  });
})();
