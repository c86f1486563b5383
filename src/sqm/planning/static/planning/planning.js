/* Draw every figure of a planning page: <div data-figure="ID"> takes the Plotly figure JSON
   written by {{ figure|json_script:"ID" }}. Plotly itself is loaded (not deferred) before. */
(function () {
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var data = document.getElementById(element.getAttribute("data-figure"));
    if (!data || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(data.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, {displayModeBar: false, responsive: true});
  });
})();
