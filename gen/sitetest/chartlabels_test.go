package sitetest

// jsChartLabels asks ECharts itself, for every drawn chart of the page,
// what a reader can see. It returns one entry per chart with the problems
// found:
//   - a legend that pages (a scrolling legend showing its page buttons);
//   - a name of the chart's data (a row of its table, or a series when
//     there is more than one) that no visible text of the canvas spells;
//   - a category label of a shown category axis that is hidden, missing or
//     overlaps another label of the same axis;
//   - a text cut by the canvas edge.
//
// Texts are read from zrender's display list (what is actually painted):
// labels that ECharts hid for overlap are left out of it, and a label's
// lines are its own elements.
const jsChartLabels = `(() => {
  const rectOf = el => {
    const r = el.getBoundingRect().clone();
    const m = el.getComputedTransform && el.getComputedTransform();
    if (m) r.applyTransform(m);
    return r;
  };
  const overlap = (a, b) =>
    a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width &&
    a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;
  const out = [];
  for (const f of document.querySelectorAll("figure[data-chart]")) {
    const box = f.querySelector(".chart-canvas");
    const ch = box && window.echarts && echarts.getInstanceByDom(box);
    if (!ch) { out.push({id: f.id, problems: ["no ECharts instance on the chart box"]}); continue; }
    const problems = [];
    const W = ch.getWidth(), H = ch.getHeight();
    for (const v of ch._componentsViews || []) {
      if (v && v._showController) problems.push("its legend pages (" + v.type + ")");
    }
    const texts = [];
    for (const el of ch.getZr().storage.getDisplayList(true)) {
      const t = el.style && el.style.text;
      if (typeof t !== "string" || t.trim() === "" || el.invisible || el.style.opacity === 0) continue;
      const r = rectOf(el);
      texts.push({text: t, rect: r});
      if (r.x < -1 || r.y < -1 || r.x + r.width > W + 1 || r.y + r.height > H + 1) {
        problems.push("text " + JSON.stringify(t) + " is cut by the edge of the " + W + "×" + H + " canvas");
      }
    }
    const seen = name => texts.some(x => x.text === name || x.text.split(/\s+/).includes(name));
    const names = [...f.querySelectorAll(".chart-table tbody th")].map(th => th.textContent.trim());
    for (const n of names) if (!seen(n)) problems.push("row " + JSON.stringify(n) + " is named nowhere on the chart");
    const series = (ch.getOption().series || []).map(s => s.name).filter(Boolean);
    const distinct = [...new Set(series)];
    if (distinct.length > 1) {
      for (const n of distinct) if (!seen(n)) problems.push("series " + JSON.stringify(n) + " is named nowhere on the chart");
    }
    let shownAxes = 0;
    for (const kind of ["xAxis", "yAxis"]) {
      ch.getModel().eachComponent(kind, m => {
        if (m.get("type") !== "category" || m.get("axisLabel.show") === false || m.get("show") === false) return;
        shownAxes++;
        const rects = [];
        for (const c of m.getCategories()) {
          const hit = texts.find(x => x.text === String(c));
          if (!hit) { problems.push(kind + " label " + JSON.stringify(c) + " is hidden"); continue; }
          for (const [d, r] of rects) {
            if (overlap(r, hit.rect)) problems.push(kind + " labels " + JSON.stringify(d) + " and " + JSON.stringify(c) + " overlap");
          }
          rects.push([c, hit.rect]);
        }
      });
    }
    out.push({id: f.id, problems: problems, axes: shownAxes, texts: texts.length});
  }
  return out;
})()`

// chartLabels is one chart's entry in the result of jsChartLabels.
type chartLabels struct {
	ID       string   `json:"id"`
	Problems []string `json:"problems"`
	Axes     int      `json:"axes"`
	Texts    int      `json:"texts"`
}
