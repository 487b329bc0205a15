/* The dashboards' charts, drawn with the vendored Apache ECharts (static/vendor). Each chart is a
   <div class="chart" data-chart="kind" data-source="id of a json_script"> next to the table that holds the same
   numbers: the table is what a screen reader reads (the chart is aria-hidden), and what a browser without
   JavaScript shows. A heat-map cell or a project's bar opens its evidence, like the table's link. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var STATUS = { met: 0, not_due: 1, at_risk: 2, failed: 3 };
  var COLOURS = ["#2e7d32", "#b0bec5", "#f9a825", "#c62828"];

  function heatmap(data) {
    var cells = [];
    data.rows.forEach(function (row, y) {
      row.cells.forEach(function (cell, x) {
        if (cell) { cells.push({ value: [x, y, STATUS[cell.status]], url: cell.url, label: cell.status_label,
                                 text: cell.value_text }); }
      });
    });
    return {
      tooltip: { formatter: function (p) { return data.rules[p.value[0]] + "<br>" + data.rows[p.value[1]].name +
                                            "：" + p.data.label + "<br>" + p.data.text; } },
      grid: { left: 110, right: 10, top: 10, bottom: 60 },
      xAxis: { type: "category", data: data.rules, axisLabel: { rotate: 60, fontSize: 10 } },
      yAxis: { type: "category", data: data.rows.map(function (r) { return r.name; }), inverse: true },
      visualMap: { type: "piecewise", show: false, dimension: 2,
                   pieces: COLOURS.map(function (c, i) { return { value: i, color: c }; }) },
      series: [{ type: "heatmap", data: cells, itemStyle: { borderColor: "#fff", borderWidth: 1 } }]
    };
  }

  function funnel(data) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}" },
      series: [{ type: "funnel", sort: "none", left: "5%", width: "60%", minSize: "8%", gap: 2,
                 label: { formatter: "{b}  {c}" },
                 data: data.stages.map(function (s) { return { name: s[0], value: s[1] }; }) }]
    };
  }

  function trend(data) {
    return {
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.met, data.labels.spent], bottom: 0 },
      grid: { left: 45, right: 60, top: 20, bottom: 60 },
      xAxis: { type: "category", data: data.weeks },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value" }],
      series: [{ name: data.labels.met, type: "line", data: data.met, connectNulls: false },
               { name: data.labels.spent, type: "bar", yAxisIndex: 1, data: data.spent }]
    };
  }

  function bars(data) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: [data.labels.planned, data.labels.spent] },
      grid: { left: 110, right: 40, top: 30, bottom: 20, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.names, inverse: true },
      series: [{ name: data.labels.planned, type: "bar", data: data.planned, itemStyle: { color: "#cfd8dc" } },
               { name: data.labels.spent, type: "bar", data: data.spent, itemStyle: { color: "#b71c1c" } }]
    };
  }

  var KINDS = { heatmap: heatmap, funnel: funnel, trend: trend, bars: bars };
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    var build = KINDS[el.getAttribute("data-chart")];
    if (!source || !build) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(data));
    chart.on("click", function (p) {
      var url = (p.data && p.data.url) || (data.urls && data.urls[p.dataIndex]);
      if (url) { window.location.href = url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-drawn", "1");
  });
})();
