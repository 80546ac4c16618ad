/* search.js: site search answered from the files gen/search writes under
   /search/: meta.json, shard-*.bin (postings and the heads of each term's
   top documents), docs-*.json (documents). A query fetches its tokens'
   shards, shows the results whose heads came with them, and fetches its
   shown results' chunks for the snippets.
   fold, cls and tokens mirror gen/search/tokenize.go; rank mirrors
   gen/search/query.go (a Go test checks that they agree). */
(() => {
  "use strict";
  const BASE = "/search/", PAGE = 10, WIN = 90;
  const fold = c => {
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) return 32;
    if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
    return c >= 0xc0 && c <= 0x4ff ? String.fromCodePoint(c).toLowerCase().codePointAt(0) : c;
  };
  // 0 separator, 1 CJK (n-grams), 2 word character.
  const cls = c => c < 0x80 ? ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? 2 : 0)
    : (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x20000 && c <= 0x3134f) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af) || c === 0x3007 ? 1
    : (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff) ? 2 : 0;

  function tokens(q) {
    const out = [], seen = new Set();
    let run = 0, rs = [], cur = 0;
    const add = (t, cjk) => { if (out.length < 32 && !seen.has(t)) { seen.add(t); out.push({ t, run, cjk }); } };
    const flush = () => {
      if (!rs.length) return;
      if (cur === 1) {
        if (rs.length === 1) add(rs[0], true);
        for (let i = 0; i + 1 < rs.length; i++) add(rs[i] + rs[i + 1], true);
      } else add(rs.join(""), false);
      run++; rs = [];
    };
    for (const ch of q) {
      const c = fold(ch.codePointAt(0)), k = cls(c);
      if (k !== cur) flush();
      cur = k;
      if (k) rs.push(String.fromCodePoint(c));
    }
    flush();
    return out;
  }

  const enc = new TextEncoder(), dec = new TextDecoder(), cache = new Map(), heads = new Map();
  const hash = t => enc.encode(t).reduce((h, b) => Math.imul(h ^ b, 16777619) >>> 0, 2166136261);
  let meta, metaP;
  function get(path) {
    if (!cache.has(path)) {
      const p = fetch(BASE + path + (meta ? "?v=" + meta.id : ""), meta ? {} : { cache: "no-cache" })
        .then(r => { if (!r.ok) throw Error(path + ": " + r.status); return r.arrayBuffer(); });
      p.catch(() => cache.delete(path));
      cache.set(path, p);
    }
    return cache.get(path);
  }
  const json = path => get(path).then(b => JSON.parse(dec.decode(b)));
  const loadMeta = () => metaP || (metaP = json("meta.json").then(m => { meta = m; }, e => { metaP = null; throw e; }));

  // A shard: varint term count; per term its length, UTF-8 bytes, df and
  // postings length × 2 + 1 if dense; then the postings; then, as JSON, the heads
  // [id, url, title, kind, date, summary] of the terms' top documents.
  function shard(buf) {
    const b = new Uint8Array(buf), m = new Map(), hs = [];
    let p = 0;
    const uv = () => { let x = 0, s = 1, c; do { c = b[p++]; x += (c & 127) * s; s *= 128; } while (c & 128); return x; };
    for (let n = uv(); n > 0; n--) {
      const l = uv(), t = dec.decode(b.subarray(p, p + l));
      p += l;
      hs.push([t, uv(), uv()]);
    }
    for (const [t, df, l] of hs) { m.set(t, { df, dense: l & 1, list: b.subarray(p, p + (l >>> 1)) }); p += l >>> 1; }
    if (p < b.length) for (const h of JSON.parse(dec.decode(b.subarray(p)))) heads.set(h[0], h.slice(1));
    return m;
  }

  // rank: the matching doc ids (unordered) and their scores. A posting is
  // varint(doc delta << 4 | impact), the impact a quantised BM25 weight.
  // All shards are asked for at once; each token is counted, in order, as
  // soon as its shard is in.
  async function rank(toks) {
    const S = meta.shards, ids = toks.map(t => hash(t.t) % S);
    const bufs = ids.map(s => get("shard-" + s.toString(16) + ".bin"));
    const N = meta.docs, score = new Float64Array(N), mask = new Uint32Array(N), touched = new Int32Array(N), parsed = new Map();
    let nt = 0, present = 0, presentCJK = 0, need = 0, found = 0, pairs = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (!parsed.has(ids[i])) parsed.set(ids[i], shard(await bufs[i]));
      const p = parsed.get(ids[i]).get(t.t);
      if (!p || !p.df) {
        if (!t.cjk) return { hits: [], n: 0 }; // every word must match
        continue;
      }
      present++; found |= 1 << i;
      if (t.cjk) presentCJK++; else need |= 1 << i;
      const idf = Math.log(1 + (N - p.df + 0.5) / (p.df + 0.5)), b = p.list, len = b.length, bit = 1 << i;
      if (p.dense) for (let j = 0; j < 2 * len; j++) {
        const x = b[j >> 1] >> (j & 1) * 4 & 15;
        if (x) { if (!mask[j]) touched[nt++] = j; score[j] += idf * x; mask[j] |= bit; }
      } else for (let j = 0, doc = -1; j < len;) {
        let x = b[j++];
        if (x > 127) { x &= 127; for (let s = 128, c; ; s *= 128) { c = b[j++]; x += (c & 127) * s; if (c < 128) break; } }
        doc += x >>> 4;
        if (!mask[doc]) touched[nt++] = doc;
        score[doc] += idf * (x & 15);
        mask[doc] |= bit;
      }
    }
    lap("shards");
    const hits = [];
    if (!present) return { hits, n: 0 };
    const needCJK = Math.floor((presentCJK * 3 + 4) / 5), adjacent = (m, i) => i > 0 && toks[i].cjk && toks[i - 1].cjk &&
      toks[i].run === toks[i - 1].run && ((m >>> (i - 1)) & 3) === 3;
    for (let i = 1; i < toks.length; i++) if (adjacent(found, i)) pairs++;
    // A doc's factors depend only on its set of tokens: one computation per set.
    const memo = new Map(), factor = m => {
      if ((m & need) !== need) return 0;
      let matched = 0, cjk = 0, adj = 0;
      toks.forEach((t, i) => { if (m & (1 << i)) { matched++; if (t.cjk) cjk++; if (adjacent(m, i)) adj++; } });
      return cjk < needCJK ? 0 : [1 + matched / present, pairs > 0 ? 1 + 0.5 * adj / pairs : 1];
    };
    for (let i = 0; i < nt; i++) {
      const d = touched[i], m = mask[d];
      let f = memo.get(m);
      if (f === undefined) memo.set(m, f = factor(m));
      if (f) { score[d] = score[d] * f[0] * f[1]; hits.push(d); }
    }
    lap("rank");
    return { hits, score, n: hits.length };
  }

  // next: the PAGE best hits ranked after doc last (-1: from the top), by a
  // selection rather than sorting thousands of hits; ws, wd: the score and
  // id of the last one kept.
  function next({ hits, score }, last) {
    const out = [], ls = last >= 0 ? score[last] : Infinity, before = (a, b) => score[a] > score[b] || (score[a] === score[b] && a < b);
    let ws = -Infinity, wd = -1;
    for (let k = 0; k < hits.length; k++) {
      const d = hits[k], s = score[d];
      if (s > ls || (s === ls && d <= last) || s < ws || (s === ws && d > wd)) continue;
      let j = out.length;
      while (j > 0 && before(d, out[j - 1])) j--;
      out.splice(j, 0, d);
      if (out.length > PAGE) out.pop();
      if (out.length === PAGE) { wd = out[PAGE - 1]; ws = score[wd]; }
    }
    return out;
  }

  // Highlights: the tokens found in a folded copy of s (the same length, so
  // offsets carry over), merged into [start, end) ranges.
  function ranges(s, toks) {
    let n = "";
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i), f = c >= 0xd800 && c <= 0xdfff ? c : fold(c);
      n += f > 0xffff ? s[i] : String.fromCharCode(f);
    }
    const r = [], m = [];
    for (const t of toks) {
      for (let i = n.indexOf(t.t); i >= 0; i = n.indexOf(t.t, i + 1)) {
        const e = i + t.t.length;
        if (t.cjk || (cls(n.charCodeAt(i - 1)) !== 2 && cls(n.charCodeAt(e)) !== 2)) r.push([i, e]);
      }
    }
    r.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    for (const x of r) {
      const l = m[m.length - 1];
      if (l && x[0] <= l[1]) l[1] = Math.max(l[1], x[1]); else m.push(x);
    }
    return m;
  }
  function marked(el, s, rs, from = 0, to = s.length) {
    let p = from;
    for (const [x, y] of rs) {
      if (y <= from || x >= to) continue;
      const a = Math.max(x, from), b = Math.min(y, to), mk = document.createElement("mark");
      mk.textContent = s.slice(a, b);
      el.append(s.slice(p, a), mk);
      p = b;
    }
    el.append(s.slice(p, to));
  }
  // snippet: the window of the text with the most highlights, else the summary.
  function snippet(el, text, summary, toks) {
    const rs = ranges(text, toks);
    if (!rs.length) return marked(el, summary, ranges(summary, toks));
    let best = 0, bi = 0;
    for (let i = 0, j = 0; i < rs.length; i++) {
      while (j < rs.length && rs[j][1] <= rs[i][0] + WIN) j++;
      if (j - i > best) { best = j - i; bi = i; }
    }
    const from = Math.max(0, rs[bi][0] - 20), to = Math.min(text.length, from + WIN + 20);
    if (from > 0) el.append("…");
    marked(el, text, rs, from, to);
    if (to < text.length) el.append("…");
  }

  const root = document.getElementById("search");
  if (!root) return;
  const form = root.querySelector("form"), input = form.elements.q, msg = root.dataset;
  const status = document.getElementById("search-status"), list = document.getElementById("search-results");
  const more = document.getElementById("search-more"), el = (tag, cls) => Object.assign(document.createElement(tag), cls ? { className: cls } : {});
  const say = (key, n) => { status.textContent = (msg[key] || "").replace("%d", n); };
  const api = window.gongjianSearch = { tokens };
  let seq = 0, state, laps, lapT;
  // Where the time of a search goes, for the benchmark.
  const lap = name => { const t = performance.now(); laps[name] = t - lapT; lapT = t; };

  // item: a result from its head; the snippet is the summary until the
  // text is in (text, below).
  function item([url, title, kind, date, summary, text = ""], toks) {
    const li = el("li"), h = el("h2"), a = el("a"), info = el("p", "search-meta"), p = el("p");
    a.href = url;
    marked(a, title, ranges(title, toks));
    h.append(a);
    info.textContent = (msg["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || kind) + (date ? " · " + date : "");
    snippet(p, text, summary, toks);
    li.append(h, info, p);
    return li;
  }

  // show: the next page of results, from the heads the shards brought
  // (chunks only for the others), then the snippets from the chunks.
  async function show(my, t0) {
    const ids = next(state, state.last), toks = state.toks;
    const doc = id => json("docs-" + Math.floor(id / meta.per).toString(16) + ".json").then(c => c[id % meta.per]);
    let ds = ids.map(id => heads.get(id));
    if (!ds.every(Boolean)) ds = await Promise.all(ids.map((id, i) => ds[i] || doc(id)));
    if (my !== seq) return;
    lap("docs");
    const ps = ds.map(d => list.appendChild(item(d, toks)).lastChild);
    if (ids.length) state.last = ids[ids.length - 1];
    state.shown += ids.length;
    more.hidden = state.shown >= state.n;
    lap("render");
    const last = api.last = { q: state.q, n: state.n, ms: performance.now() - t0, laps };
    Promise.all(ids.map(doc)).then(full => {
      if (my !== seq) return;
      full.forEach((d, i) => { if (!ds[i][5]) { ps[i].textContent = ""; snippet(ps[i], d[5], d[4], toks); } });
      last.done = performance.now() - t0;
    }, () => { last.done = -1; });
  }

  async function run(q) {
    const my = ++seq, t0 = performance.now(), toks = tokens(q);
    laps = {}; lapT = t0;
    if (!toks.length) { list.textContent = ""; more.hidden = true; return say(q.trim() ? "none" : "hint"); }
    say("loading");
    try {
      if (!meta) await loadMeta();
      const r = await rank(toks);
      if (my !== seq) return;
      state = Object.assign(r, { q, toks, shown: 0, last: -1 });
      list.textContent = "";
      more.hidden = true;
      await show(my, t0);
      if (my === seq) say(r.n ? "count" : "none", r.n);
    } catch (e) {
      if (my === seq) say("error");
    }
  }

  let timer;
  const go = () => {
    clearTimeout(timer);
    run(input.value); // first: it asks for the shards before its first await
    history.replaceState(null, "", input.value ? "?q=" + encodeURIComponent(input.value) : location.pathname);
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(go, 150); });
  form.addEventListener("submit", e => { e.preventDefault(); go(); });
  more.addEventListener("click", async () => {
    const first = list.children.length;
    await show(seq, performance.now());
    const a = list.children[first] && list.children[first].querySelector("a");
    if (a) a.focus();
  });
  // Arrow keys move between the box and the result links.
  root.addEventListener("keydown", e => {
    const d = { ArrowDown: 1, ArrowUp: -1 }[e.key], links = [input, ...list.querySelectorAll("h2 a")];
    const i = links.indexOf(document.activeElement);
    if (d && i >= 0 && links[i + d]) { e.preventDefault(); links[i + d].focus(); }
  });

  input.value = new URLSearchParams(location.search).get("q") || "";
  run(input.value);
  api.ready = loadMeta(); // now, so a query typed later waits only for its shards
})();
