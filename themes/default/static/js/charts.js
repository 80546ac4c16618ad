/* charts.js: draws every <figure data-chart> on the page with the vendored
   ECharts (see templates/chart.html). Our own code, no dependencies besides
   window.echarts. Numbers are formatted the Chinese way: 1.25万, 512万,
   3.4亿, 91.9%. If anything fails the data table simply stays visible. */
(function () {
  "use strict";

  // trim drops trailing zeros of a fixed-point string: "12.50" -> "12.5".
  function trim(s) {
    return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, "");
  }

  // short keeps three significant digits, at most two decimals.
  function short(v) {
    var a = Math.abs(v);
    return trim(v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2));
  }

  // cn mirrors dataset.FormatCN in Go.
  function cn(v) {
    if (typeof v !== "number" || !isFinite(v)) return v == null ? "" : String(v);
    var a = Math.abs(v);
    if (a >= 1e8) return short(v / 1e8) + "亿";
    if (a >= 1e4) {
      var s = short(v / 1e4);
      return s === "10000" || s === "-10000" ? s.replace("10000", "1") + "亿" : s + "万";
    }
    var r = trim(v.toFixed(1));
    return r === "-0" ? "0" : r;
  }

  // largest is the largest absolute value in the series, so that every
  // label of an axis uses one scale: 0.9万, 1.2万, not 9000, 1.2万.
  function largest(options) {
    var m = 0;
    (options.series || []).forEach(function (s) {
      (s.data || []).forEach(function (d) {
        var v = d !== null && typeof d === "object" ? d.value : d;
        if (Array.isArray(v)) v = v[v.length - 1];
        if (typeof v === "number" && isFinite(v)) m = Math.max(m, Math.abs(v));
      });
    });
    return m;
  }

  function formatter(fig, options) {
    var unit = fig.getAttribute("data-unit") || "";
    if (fig.getAttribute("data-format") === "percent") {
      return {
        axis: function (v) { return cn(v) + "%"; },
        value: function (v) { return typeof v === "number" ? cn(v) + "%" : "—"; }
      };
    }
    var top = largest(options);
    var scale = top >= 1e8 ? 1e8 : top >= 1e4 ? 1e4 : 1;
    var suffix = scale === 1e8 ? "亿" : scale === 1e4 ? "万" : "";
    return {
      axis: function (v) { return scale === 1 ? cn(v) : (v === 0 ? "0" : short(v / scale) + suffix); },
      value: function (v) { return typeof v === "number" ? cn(v) + unit : "—"; }
    };
  }

  function valueAxes(axes) {
    if (!axes) return [];
    if (!Array.isArray(axes)) axes = [axes];
    return axes.filter(function (a) { return a && a.type === "value"; });
  }

  function setToggle(fig, table, button, showTable) {
    table.hidden = !showTable;
    button.setAttribute("aria-expanded", showTable ? "true" : "false");
    button.textContent = button.getAttribute(showTable ? "data-hide" : "data-show");
  }

  function draw(fig) {
    var box = fig.querySelector(".chart-canvas");
    var script = fig.querySelector("script.chart-options");
    var table = fig.querySelector(".chart-table");
    var button = fig.querySelector(".chart-toggle");
    if (!box || !script || !table || !button) return;
    var options = JSON.parse(script.textContent);
    var f = formatter(fig, options);
    valueAxes(options.xAxis).concat(valueAxes(options.yAxis)).forEach(function (a) {
      a.axisLabel = a.axisLabel || {};
      a.axisLabel.formatter = f.axis;
    });
    var narrow = box.parentNode.clientWidth < 480;
    (options.series || []).forEach(function (s) {
      if (s.type !== "pie") return;
      s.percentPrecision = 1; // 15.9%, as in the table
      // On a phone, names beside the slices get cut off: show the share on
      // the slice and leave the names to the legend below.
      if (narrow) {
        s.label = { show: true, position: "inside", formatter: "{d}%", color: "#fff", fontWeight: "bold" };
        s.labelLine = { show: false };
        s.center = ["50%", "38%"];
        s.radius = Array.isArray(s.radius) ? ["32%", "58%"] : "58%";
        var legend = { show: true, type: "scroll", bottom: 0, top: "auto", left: "center" };
        if (Array.isArray(options.legend)) {
          options.legend = options.legend.map(function (l) { return Object.assign({}, l, legend); });
        } else {
          options.legend = Object.assign({}, options.legend || {}, legend);
        }
      }
    });
    options.tooltip = options.tooltip || {};
    options.tooltip.valueFormatter = f.value;
    options.tooltip.confine = true;

    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(options);
    // The drawn chart now carries the summary for screen readers (ECharts
    // aria uses the same sentence), so the paragraph would only repeat it;
    // the table holds the numbers and is one click away.
    var summary = fig.querySelector(".chart-summary");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", summary.textContent);
    summary.hidden = true;

    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); }).observe(box);
    } else {
      window.addEventListener("resize", function () { chart.resize(); });
    }

    button.hidden = false;
    setToggle(fig, table, button, false);
    button.addEventListener("click", function () {
      setToggle(fig, table, button, table.hidden);
    });
    fig.classList.add("chart-ready");
  }

  function init() {
    if (!window.echarts) return; // tables stay visible
    var figs = document.querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figs.length; i++) {
      try {
        draw(figs[i]);
      } catch (e) {
        // Leave this figure as its table; show the others.
        var box = figs[i].querySelector(".chart-canvas");
        if (box) box.hidden = true;
        var table = figs[i].querySelector(".chart-table");
        if (table) table.hidden = false;
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
