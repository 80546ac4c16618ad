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

  // NARROW is the chart width below which charts take their phone form:
  // no legends (lines are named at their ends, many series become small
  // multiples), every category name written out (bars turn sideways,
  // many-slice pies become sorted bars), labels rotated rather than hidden.
  var NARROW = 480;
  var FONT = "12px sans-serif";
  var measureCtx = null;

  function textWidth(s) {
    if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
    measureCtx.font = FONT;
    var w = 0;
    String(s).split("\n").forEach(function (line) { w = Math.max(w, measureCtx.measureText(line).width); });
    return w;
  }

  function list(x) { return x == null ? [] : Array.isArray(x) ? x : [x]; }

  function categoryAxis(axes) {
    return list(axes).filter(function (a) { return a && a.type === "category"; })[0];
  }

  // ordered reports whether the labels read as dates or years, whose order
  // is their meaning: such an axis stays along the bottom.
  function ordered(labels) {
    return labels.length > 0 && labels.every(function (l) { return /^\d{4}([-/.]\d{1,2}){0,2}$/.test(String(l)); });
  }

  function widest(labels) {
    var w = 0;
    labels.forEach(function (l) { w = Math.max(w, textWidth(l)); });
    return w;
  }

  // showAll makes a category axis print every label: no interval, no
  // hiding of overlaps; labels turn upright when they do not fit side by
  // side in the width each gets.
  function showAll(axis, slot) {
    axis.axisLabel = Object.assign({}, axis.axisLabel, { interval: 0, hideOverlap: false });
    if (slot == null) return;
    var labels = axis.data || [];
    var w = widest(labels);
    if (w + 6 > slot) axis.axisLabel.rotate = (w + 16) * 0.71 <= slot ? 45 : 90;
  }

  function values(s) {
    return (s.data || []).map(function (d) {
      var v = d !== null && typeof d === "object" ? d.value : d;
      return typeof v === "number" ? v : null;
    });
  }

  // pieToBars turns a pie of many slices into bars sorted from the largest,
  // each with its name, value and share written beside it.
  function pieToBars(options, s, f) {
    var rows = (s.data || []).map(function (d) { return { name: d.name, value: d.value }; });
    var total = rows.reduce(function (t, r) { return t + (typeof r.value === "number" ? r.value : 0); }, 0);
    rows.sort(function (a, b) { return b.value - a.value; });
    options.legend = { show: false };
    options.grid = { containLabel: true, left: 8, right: 8, top: 8, bottom: 8 };
    options.yAxis = { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
      axisLabel: { interval: 0, hideOverlap: false }, axisTick: { show: false } };
    options.xAxis = { type: "value", show: false };
    options.tooltip = { trigger: "axis" };
    options.series = [{
      type: "bar", name: s.name, data: rows.map(function (r) { return r.value; }),
      itemStyle: { color: (options.color || [])[0] },
      label: { show: true, position: "right", formatter: function (p) {
        var share = total ? " (" + (100 * p.value / total).toFixed(1) + "%)" : "";
        return f.value(p.value) + share;
      } }
    }];
    // Room on the right for the longest value label.
    var longest = widest(rows.map(function (r) { return f.value(r.value) + " (100.0%)"; }));
    options.grid.right = Math.ceil(longest) + 8;
    return rows.length * 30 + 24;
  }

  // nice rounds v up to 1, 2 or 5 times a power of ten, so that panels
  // sharing a scale end on a round number.
  function nice(v) {
    if (!(v > 0)) return v;
    var p = Math.pow(10, Math.floor(Math.log(v) / Math.LN10));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  // smallMultiples draws each series in its own panel, one under another,
  // sharing one value scale, each named above its panel.
  function smallMultiples(options, width, f) {
    var series = options.series;
    var cat = categoryAxis(options.xAxis);
    var panel = 100, gap = 30, top = 8;
    var max = 0, min = 0;
    series.forEach(function (s) {
      values(s).forEach(function (v) { if (v != null) { max = Math.max(max, v); min = Math.min(min, v); } });
    });
    var stacked = series.some(function (s) { return s.stack; });
    options.legend = { show: false };
    options.title = [];
    options.grid = [];
    var xs = [], ys = [], out = [];
    var slot = (width - 56) / Math.max(1, (cat.data || []).length);
    // Only the bottom panel prints the shared axis; its labels may stand
    // upright, and the panel grows by their height.
    var top_ = nice(max);
    var bottom = { axisLabel: {}, data: cat.data };
    showAll(bottom, slot);
    var rot = bottom.axisLabel.rotate;
    var below = rot ? widest(cat.data || []) * (rot === 90 ? 1 : 0.72) + 14 : 22;
    series.forEach(function (s, i) {
      var y0 = top + i * (panel + gap);
      var last = i === series.length - 1;
      options.title.push({ text: s.name, left: 4, top: y0 - 2, textStyle: { fontSize: 13, fontWeight: "bold" } });
      options.grid.push({ left: 8, right: 12, top: y0 + 24, height: panel - 24 + (last ? below : 0), containLabel: true });
      var x = { type: "category", gridIndex: i, data: cat.data, boundaryGap: s.type === "bar",
        axisLabel: last ? bottom.axisLabel : { show: false } };
      xs.push(x);
      ys.push({ type: "value", gridIndex: i, min: min, max: top_, interval: (top_ - min) / 2,
        axisLabel: { formatter: f.axis } });
      var c = Object.assign({}, s, { xAxisIndex: i, yAxisIndex: i, stack: null,
        color: (options.color || [])[i % (options.color || [1]).length] });
      delete c.markLine;
      if (i === 0 && s.markLine) c.markLine = s.markLine;
      out.push(c);
    });
    // Stacked series drawn apart lose their sum; the table still has it.
    options.xAxis = xs;
    options.yAxis = ys;
    options.series = out;
    if (stacked) options.series.forEach(function (s) { delete s.stack; });
    return top + series.length * (panel + gap) - gap + below + 4;
  }

  // endLabels names each line at its right end instead of in a legend.
  function endLabels(options) {
    var names = options.series.map(function (s) { return s.name; });
    options.legend = { show: false };
    options.series.forEach(function (s) {
      s.endLabel = { show: true, formatter: "{a}", distance: 4 };
      s.labelLayout = { moveOverlap: "shiftY" };
    });
    var grids = list(options.grid);
    var g = Object.assign({}, grids[0] || {});
    g.right = Math.ceil(widest(names)) + 16;
    g.bottom = 8;
    options.grid = g;
  }

  // toHorizontal lays a vertical category bar chart on its side, so that
  // every category name is written out in full down the left.
  function toHorizontal(options) {
    var cat = categoryAxis(options.xAxis);
    var val = list(options.yAxis)[0] || { type: "value" };
    cat.inverse = true;
    cat.axisLabel = Object.assign({}, cat.axisLabel, { interval: 0, hideOverlap: false });
    val.name = "";
    list(options.grid).forEach(function (g) { g.top = 8; });
    options.xAxis = val;
    options.yAxis = cat;
    options.series.forEach(function (s) {
      (s.markLine && s.markLine.data || []).forEach(function (d) {
        if (d.yAxis != null) { d.xAxis = d.yAxis; delete d.yAxis; }
      });
    });
    return (cat.data || []).length * 30 + 60;
  }

  // narrowOptions rewrites options for a chart width px wide; it returns
  // the height the chart needs, or 0 to keep the stylesheet's.
  function narrowOptions(options, width, f) {
    var series = options.series || [];
    var pies = series.filter(function (s) { return s.type === "pie"; });
    if (pies.length) {
      var s = pies[0];
      s.percentPrecision = 1; // 15.9%, as in the table
      if ((s.data || []).length > 5) return pieToBars(options, s, f);
      options.legend = { show: false };
      s.center = ["50%", "50%"];
      s.radius = Array.isArray(s.radius) ? ["26%", "44%"] : "44%";
      s.label = { show: true, formatter: "{b}\n{d}%", alignTo: "edge", edgeDistance: 6, lineHeight: 15 };
      s.labelLine = { show: true, length: 8, length2: 6 };
      return 0;
    }
    var cat = categoryAxis(options.xAxis);
    var side = categoryAxis(options.yAxis);
    // Many series along a shared bottom axis become small multiples. Bars
    // that run sideways keep their row names on the left, so their series
    // are named above the chart in a legend that wraps rather than pages.
    if (series.length > 3 && cat) return smallMultiples(options, width, f);
    if (series.length > 1 && !side && series.every(function (s) { return s.type === "line"; })) {
      endLabels(options);
    } else if (series.length > 1) {
      var rows = Math.ceil(widest(series.map(function (s) { return s.name; })) * series.length / (width * 0.6));
      options.legend = { show: true, type: "plain", top: 0, left: 0 };
      list(options.grid).forEach(function (g) { g.top = 8 + 24 * Math.max(1, rows); g.bottom = 8; });
    }
    if (side) {
      labelAll(options, width);
      return (side.data || []).length * (series.length > 1 && !series[0].stack ? 40 : 28) + 90;
    }
    if (cat && !ordered(cat.data || []) && series.every(function (s) { return s.type === "bar"; })) {
      return toHorizontal(options);
    }
    labelAll(options, width);
    return 0;
  }

  // labelAll has every category axis print each of its labels.
  function labelAll(options, width) {
    var cat = categoryAxis(options.xAxis);
    var side = categoryAxis(options.yAxis);
    if (side) side.axisLabel = Object.assign({}, side.axisLabel, { interval: 0, hideOverlap: false });
    if (!cat) return;
    var grid = list(options.grid)[0] || {};
    var right = typeof grid.right === "number" ? grid.right : parseInt(grid.right || "16", 10);
    showAll(cat, (width - 56 - right) / Math.max(1, (cat.data || []).length));
  }

  function wideOptions(options, width) {
    (options.series || []).forEach(function (s) { if (s.type === "pie") s.percentPrecision = 1; });
    labelAll(options, width);
  }

  function draw(fig) {
    var box = fig.querySelector(".chart-canvas");
    var script = fig.querySelector("script.chart-options");
    var table = fig.querySelector(".chart-table");
    var button = fig.querySelector(".chart-toggle");
    if (!box || !script || !table || !button) return;
    var source = script.textContent;

    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var shape = null; // "narrow" or "wide", as last drawn
    var layout = function () {
      var width = box.clientWidth || box.parentNode.clientWidth;
      var want = width < NARROW ? "narrow" : "wide";
      if (want === shape) { chart.resize(); return; }
      shape = want;
      var options = JSON.parse(source);
      var f = formatter(fig, options);
      var height = 0;
      if (want === "narrow") {
        height = narrowOptions(options, width, f);
      } else {
        wideOptions(options, width);
      }
      valueAxes(options.xAxis).concat(valueAxes(options.yAxis)).forEach(function (a) {
        a.axisLabel = a.axisLabel || {};
        if (!a.axisLabel.formatter) a.axisLabel.formatter = f.axis;
      });
      options.tooltip = options.tooltip || {};
      options.tooltip.valueFormatter = f.value;
      options.tooltip.confine = true;
      box.style.height = height ? height + "px" : "";
      chart.resize();
      chart.setOption(options, true);
    };
    layout();
    // The drawn chart now carries the summary for screen readers (ECharts
    // aria uses the same sentence), so the paragraph would only repeat it;
    // the table holds the numbers and is one click away.
    var summary = fig.querySelector(".chart-summary");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", summary.textContent);
    summary.hidden = true;

    if (window.ResizeObserver) {
      new ResizeObserver(function () { layout(); }).observe(box);
    } else {
      window.addEventListener("resize", layout);
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
