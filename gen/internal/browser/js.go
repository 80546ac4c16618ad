package browser

// jsPrelude defines describe(el): a short CSS-like path that names an
// element in a report, e.g. "main#main > article.story > div.prose > table".
const jsPrelude = `
function describe(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
    if (e === document.body || e === document.documentElement) { if (!parts.length) parts.unshift(e.localName); break; }
    let s = e.localName;
    if (e.id) s += "#" + e.id;
    for (const c of Array.from(e.classList).slice(0, 2)) s += "." + c;
    parts.unshift(s);
  }
  return parts.join(" > ");
}
`

// jsChecks is a function of the selectors to count; it returns the DOM
// facts a Report needs (see checks).
const jsChecks = `function (selectors) {
  const out = {
    lang: document.documentElement.getAttribute("lang") || "",
    title: document.title,
    overflow: null, images: [], headings: [], matches: {},
  };

  // Sideways scrolling: name the element reaching furthest right, skipping
  // those inside a box that scrolls or clips (they cannot widen the page).
  const se = document.scrollingElement || document.documentElement;
  if (se.scrollWidth > se.clientWidth) {
    const inClip = el => {
      for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    // The widest box that sticks out names the culprit (a table, not its
    // last cell); when no box does, text overflows its box (a long URL), and
    // the innermost element whose content reaches furthest is named.
    let worst = null, right = 0, width = 0, edgeMax = se.clientWidth + 0.5, text = null, textRight = 0;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || inClip(el)) continue;
      const boxRight = r.right + window.scrollX;
      if (boxRight > se.clientWidth + 0.5 && r.width > width) { worst = el; right = boxRight; width = r.width; }
      const contentRight = r.left + window.scrollX + el.scrollWidth;
      if (contentRight >= edgeMax) { text = el; textRight = contentRight; edgeMax = contentRight; }
    }
    if (!worst && text) { worst = text; right = textRight; width = text.scrollWidth; }
    out.overflow = {
      ScrollWidth: se.scrollWidth, ClientWidth: se.clientWidth,
      Element: worst ? describe(worst) : "(none found: a pseudo-element or a transform?)",
      Right: worst ? right : 0, Width: width,
    };
  }

  // Alt text: required; empty only for an image marked decorative (role
  // presentation/none, or hidden from assistive technology) or one not shown
  // at all (a placeholder in a closed dialog that a script fills when it
  // opens); never a file name.
  for (const img of document.querySelectorAll("img")) {
    const alt = img.getAttribute("alt");
    const src = img.getAttribute("src") || img.currentSrc || "";
    const decorative = ["presentation", "none"].includes(img.getAttribute("role")) || !!img.closest("[aria-hidden=true]") ||
      (img.checkVisibility && !img.checkVisibility());
    let why = "";
    if (alt === null) why = "no alt attribute";
    else if (alt.trim() === "" && !decorative) why = "empty alt on an image not marked decorative (role=presentation or aria-hidden)";
    else if (/\.(jpe?g|png|gif|webp|avif|svg)$/i.test(alt.trim())) why = "alt is a file name: " + JSON.stringify(alt);
    if (why) out.images.push({Element: describe(img), Src: src, Why: why});
  }

  // Headings a reader meets: hidden ones do not count.
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    if (h.closest("[hidden], [aria-hidden=true]")) continue;
    if (h.checkVisibility && !h.checkVisibility()) continue;
    out.headings.push({Level: +h.localName[1], Text: h.textContent.trim().replace(/\s+/g, " ").slice(0, 60)});
  }

  // Text contrast (WCAG 2): 4.5:1, or 3:1 for large text (24 px, or 18.66 px
  // bold). The background is the stack of ancestors' background colours,
  // composited on white; text over a background image is not judged.
  const rgba = c => {
    const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(c);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== "none") return null;
      const c = rgba(cs.backgroundColor);
      if (!c) return null;
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const seen = new Set();
  out.contrast = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName)) continue;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) continue;
    const cs = getComputedStyle(el);
    const fg = rgba(cs.color), bg = background(el);
    if (!fg || !bg) continue;
    const text = over(fg, bg);
    const [a, b] = [lum(text), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), bold = +cs.fontWeight >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const where = describe(el);
    if (ratio < need && !seen.has(where)) {
      seen.add(where);
      out.contrast.push({Element: where, Text: el.textContent.trim().replace(/\s+/g, " ").slice(0, 30),
        Color: cs.color, Background: "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")",
        Ratio: Math.round(ratio * 100) / 100, Need: need});
    }
  }

  for (const s of selectors || []) out.matches[s] = document.querySelectorAll(s).length;
  return out;
}`

// jsFocus describes document.activeElement and whether focus shows.
const jsFocus = `function () {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {Element: "", Tag: "", Type: "", Text: "", Href: "", Outline: "", Visible: false};
  }
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const text = (el.getAttribute("aria-label") || el.innerText || el.value || el.getAttribute("title") || "").trim().replace(/\s+/g, " ").slice(0, 40);
  return {
    Element: describe(el), Tag: el.localName, Type: el.getAttribute("type") || "", Text: text, Href: el.getAttribute("href") || "",
    Outline: cs.outlineStyle + " " + cs.outlineWidth + " " + cs.outlineColor,
    Visible: ring && onScreen,
  };
}`

// jsEager makes every loading=lazy image load now and waits (at most five
// seconds) until each image has loaded or failed.
const jsEager = `(async () => {
  for (const img of document.querySelectorAll("img[loading=lazy]")) img.loading = "eager";
  const pending = Array.from(document.images).filter(i => !i.complete).map(i => new Promise(r => {
    i.addEventListener("load", r, {once: true});
    i.addEventListener("error", r, {once: true});
  }));
  await Promise.race([Promise.all(pending), new Promise(r => setTimeout(r, 5000))]);
  return true;
})()`
