/* search.js: the site search on /search/, answered from the static index
   that gen/search writes under /search/ (meta.json, shard-*.bin postings,
   docs-*.json document chunks). Fetches only the shards of the query's
   tokens and the chunks of the results shown. Our own code, no framework.
   tokens(), fold() and cls() mirror gen/search/tokenize.go; the ranking
   mirrors gen/search/query.go. */
(function () {
  "use strict";
  var BASE = "/search/", PAGE = 10, WINDOW = 90;

  function fold(c) {
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) return 32;
    if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
    if ((c >= 0x3000 && c < 0xa640) || (c >= 0xac00 && c < 0xd800) || c >= 0x20000) return c;
    return String.fromCodePoint(c).toLowerCase().codePointAt(0);
  }

  // cls: 0 separator, 1 CJK, 2 word character (of a folded code point).
  function cls(c) {
    if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? 2 : 0;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x20000 && c <= 0x3134f) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af) || c === 0x3007) return 1;
    if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff)) return 2;
    return 0;
  }

  function tokens(q) {
    var out = [], seen = {}, run = 0, rs = [], cur = 0;
    function add(t, cjk) {
      if (out.length < 32 && !seen[t]) { seen[t] = 1; out.push({ t: t, run: run, cjk: cjk }); }
    }
    function flush() {
      if (!rs.length) return;
      if (cur === 1) {
        if (rs.length === 1) add(rs[0], true);
        for (var i = 0; i + 1 < rs.length; i++) add(rs[i] + rs[i + 1], true);
      } else add(rs.join(""), false);
      run++; rs = [];
    }
    for (var ch of q) {
      var c = fold(ch.codePointAt(0)), k = cls(c);
      if (k !== cur) flush();
      cur = k;
      if (k) rs.push(String.fromCodePoint(c));
    }
    flush();
    return out;
  }

  var enc = new TextEncoder(), dec = new TextDecoder();
  function hash(t) {
    var b = enc.encode(t), h = 2166136261;
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }

  var meta, cache = {};
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(BASE + path + (meta ? "?v=" + meta.id : ""), meta ? {} : { cache: "no-cache" })
        .then(function (r) {
          if (!r.ok) throw new Error(path + ": " + r.status);
          return r.arrayBuffer();
        });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  function json(path) {
    return get(path).then(function (b) { return JSON.parse(dec.decode(b)); });
  }

  function shard(buf) {
    var b = new Uint8Array(buf), p = 0, m = new Map(), heads = [];
    function uv() {
      var x = 0, s = 1, c;
      do { c = b[p++]; x += (c & 127) * s; s *= 128; } while (c & 128);
      return x;
    }
    for (var n = uv(); n > 0; n--) {
      var l = uv(), t = dec.decode(b.subarray(p, p + l));
      p += l;
      heads.push([t, uv(), uv()]);
    }
    heads.forEach(function (h) { m.set(h[0], { df: h[1], list: b.subarray(p, p + h[2]) }); p += h[2]; });
    return m;
  }

  // rank returns {hits: matching doc ids, unordered; score: by doc id; n}.
  function rank(toks) {
    var S = meta.shards, ids = toks.map(function (t) { return hash(t.t) % S; });
    return Promise.all(ids.map(function (s) { return get("shard-" + s.toString(16) + ".bin"); })).then(function (bufs) {
      lap("shards");
      var N = meta.docs, score = new Float64Array(N), mask = new Uint32Array(N), touched = new Int32Array(N), nt = 0;
      var present = 0, presentCJK = 0, need = 0, found = 0, parsed = new Map(), missing = 0, i, t;
      for (i = 0; i < toks.length; i++) {
        t = toks[i];
        if (!parsed.has(ids[i])) parsed.set(ids[i], shard(bufs[i]));
        var p = parsed.get(ids[i]).get(t.t);
        if (!p || !p.df) { if (!t.cjk) missing = 1; continue; }
        present++; found |= 1 << i;
        if (t.cjk) presentCJK++; else need |= 1 << i;
        var idf = Math.log(1 + (N - p.df + 0.5) / (p.df + 0.5)), b = p.list, len = b.length, j = 0, doc = -1, bit = 1 << i;
        while (j < len) {
          var x = b[j++];
          if (x > 127) {
            x &= 127;
            for (var sh = 128, c; ; sh *= 128) { c = b[j++]; x += (c & 127) * sh; if (c < 128) break; }
          }
          doc += x >>> 4;
          if (!mask[doc]) touched[nt++] = doc;
          score[doc] += idf * (x & 15);
          mask[doc] |= bit;
        }
      }
      var hits = [];
      if (!present || missing) return { hits: hits, n: 0 };
      var needCJK = Math.floor((presentCJK * 3 + 4) / 5), pairs = 0, memo = new Map();
      for (i = 1; i < toks.length; i++) {
        if (toks[i].cjk && toks[i - 1].cjk && toks[i].run === toks[i - 1].run && ((found >>> (i - 1)) & 3) === 3) pairs++;
      }
      // The factor of a doc depends only on which tokens it has: computed
      // once per distinct set.
      function factor(m) {
        if ((m & need) !== need) return 0;
        var matched = 0, cjk = 0, adj = 0;
        for (var i = 0; i < toks.length; i++) {
          if (!(m & (1 << i))) continue;
          matched++;
          if (toks[i].cjk) {
            cjk++;
            if (i > 0 && toks[i - 1].cjk && toks[i - 1].run === toks[i].run && m & (1 << (i - 1))) adj++;
          }
        }
        if (cjk < needCJK) return 0;
        var f = 1 + matched / present;
        return pairs > 0 ? [f, 1 + 0.5 * adj / pairs] : [f, 1];
      }
      for (i = 0; i < nt; i++) {
        var d = touched[i], m = mask[d], f = memo.get(m);
        if (f === undefined) memo.set(m, f = factor(m));
        if (!f) continue;
        score[d] = score[d] * f[0] * f[1];
        hits.push(d);
      }
      lap("rank");
      return { hits: hits, score: score, n: hits.length };
    });
  }

  function docs(ids) {
    var per = meta.per;
    return Promise.all(ids.map(function (id) {
      return json("docs-" + Math.floor(id / per).toString(16) + ".json").then(function (c) { return c[id % per]; });
    }));
  }

  // Highlighting: find the query's tokens in a folded copy of the text
  // (same length, so offsets carry over) and wrap them in <mark>.
  function folded(s) {
    var o = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) { o += s[i]; continue; }
      var f = fold(c);
      o += f > 0xffff ? s[i] : String.fromCharCode(f);
    }
    return o;
  }
  function ranges(s, toks) {
    var n = folded(s), r = [];
    toks.forEach(function (t) {
      for (var i = n.indexOf(t.t); i >= 0; i = n.indexOf(t.t, i + 1)) {
        var e = i + t.t.length;
        if (t.cjk || ((!i || cls(n.charCodeAt(i - 1)) !== 2) && (e >= n.length || cls(n.charCodeAt(e)) !== 2))) r.push([i, e]);
      }
    });
    r.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var m = [];
    r.forEach(function (x) {
      var l = m[m.length - 1];
      if (l && x[0] <= l[1]) l[1] = Math.max(l[1], x[1]); else m.push(x);
    });
    return m;
  }
  function marked(el, s, rs, from, to) {
    var p = from;
    rs.forEach(function (x) {
      if (x[1] <= from || x[0] >= to) return;
      var a = Math.max(x[0], from), b = Math.min(x[1], to);
      el.append(s.slice(p, a));
      var mk = document.createElement("mark");
      mk.textContent = s.slice(a, b);
      el.append(mk);
      p = b;
    });
    el.append(s.slice(p, to));
  }
  // snippet picks the window of the text with the most highlighted ranges.
  function snippet(el, text, summary, toks) {
    var rs = ranges(text, toks);
    if (!rs.length) { marked(el, summary, ranges(summary, toks), 0, summary.length); return; }
    var best = 0, bi = 0;
    for (var i = 0, j = 0; i < rs.length; i++) {
      while (j < rs.length && rs[j][1] <= rs[i][0] + WINDOW) j++;
      if (j - i > best) { best = j - i; bi = i; }
    }
    var from = Math.max(0, rs[bi][0] - 20), to = Math.min(text.length, from + WINDOW + 20);
    if (from > 0) el.append("…");
    marked(el, text, rs, from, to);
    if (to < text.length) el.append("…");
  }

  var root = document.getElementById("search");
  if (!root) return;
  var form = root.querySelector("form"), input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status"), list = document.getElementById("search-results");
  var more = document.getElementById("search-more"), msg = root.dataset, seq = 0, state;

  function say(key, n) { status.textContent = (msg[key] || "").replace("%d", n); }

  function item(d, toks) {
    var li = document.createElement("li"), h = document.createElement("h2"), a = document.createElement("a");
    var info = document.createElement("p"), p = document.createElement("p");
    a.href = d[0];
    marked(a, d[1], ranges(d[1], toks), 0, d[1].length);
    h.append(a);
    info.className = "search-meta";
    info.textContent = (msg["kind" + d[2].charAt(0).toUpperCase() + d[2].slice(1)] || d[2]) + (d[3] ? " · " + d[3] : "");
    snippet(p, d[5], d[4], toks);
    li.append(h, info, p);
    return li;
  }

  // next returns the PAGE best hits ranked below doc last (-1: the best),
  // best first: a selection, cheaper than sorting thousands of hits.
  function next(hits, score, last) {
    var out = [];
    function before(a, b) { return score[a] > score[b] || (score[a] === score[b] && a < b); }
    for (var i = 0; i < hits.length; i++) {
      var d = hits[i], j = out.length;
      if ((last >= 0 && !before(last, d)) || (j === PAGE && !before(d, out[j - 1]))) continue;
      while (j > 0 && before(d, out[j - 1])) j--;
      out.splice(j, 0, d);
      if (out.length > PAGE) out.pop();
    }
    return out;
  }

  function show(my, t0) {
    var ids = next(state.hits, state.score, state.last);
    state.last = ids.length ? ids[ids.length - 1] : state.last;
    return docs(ids).then(function (ds) {
      if (my !== seq) return;
      lap("docs");
      ds.forEach(function (d) { list.append(item(d, state.toks)); });
      state.shown += ids.length;
      more.hidden = state.shown >= state.n;
      lap("render");
      api.last = { q: state.q, n: state.n, ms: performance.now() - t0, laps: laps };
    });
  }

  var metaP;
  function loadMeta() {
    if (!metaP) {
      metaP = json("meta.json").then(function (m) { meta = m; });
      metaP.catch(function () { metaP = null; });
    }
    return metaP;
  }

  // laps: where the time of the last search went, for the benchmark.
  var laps, lapT;
  function lap(name) { var t = performance.now(); laps[name] = t - lapT; lapT = t; }

  function run(q) {
    var my = ++seq, t0 = performance.now(), toks = tokens(q);
    laps = {}; lapT = t0;
    if (!toks.length) {
      list.textContent = ""; more.hidden = true; say(q.trim() ? "none" : "hint");
      return Promise.resolve();
    }
    say("loading");
    return loadMeta().then(function () { return rank(toks); })
      .then(function (r) {
        if (my !== seq) return;
        state = { q: q, toks: toks, hits: r.hits, score: r.score, n: r.n, shown: 0, last: -1 };
        list.textContent = "";
        more.hidden = true;
        return show(my, t0).then(function () { if (my === seq) say(r.n ? "count" : "none", r.n); });
      })
      .catch(function () { if (my === seq) say("error"); });
  }

  var timer;
  function url(q) {
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { url(input.value); run(input.value); }, 150);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    url(input.value);
    run(input.value);
  });
  more.addEventListener("click", function () {
    var next = list.children.length;
    show(seq, performance.now()).then(function () {
      var a = list.children[next] && list.children[next].querySelector("a");
      if (a) a.focus();
    });
  });
  // Arrow keys move between the box and the result links.
  root.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = [input].concat(Array.prototype.slice.call(list.querySelectorAll("h2 a")));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    var j = i + (e.key === "ArrowDown" ? 1 : -1);
    if (j >= 0 && j < links.length) { e.preventDefault(); links[j].focus(); }
  });

  // For tests and the benchmark: the tokenizer, and the last search's time.
  var api = window.gongjianSearch = { tokens: tokens, run: run };
  var q0 = new URLSearchParams(location.search).get("q") || "";
  input.value = q0;
  run(q0);
  // Fetched at once, so that the first query typed waits only for its shards.
  api.ready = loadMeta();
})();
