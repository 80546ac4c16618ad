/* search.js: site search answered from the files gen/search writes under
   /search/ (see gen/search/doc.go): meta.json, from which the names of the
   other files follow (fileName), each named after content, shard-*.bin (postings), docs-*.bin (the document table),
   text-*.bin (each document's text coded on its own by the character
   ranks of meta.tc, fetched by HTTP range) and t2s.bin (traditional to
   simplified characters, fetched only for a query with a character the
   site lacks that may fold to one it has). Files but meta.json and the texts are raw DEFLATE, read
   with DecompressionStream.
   fold, cls and parse mirror gen/search/tokenize.go; rank, coverage and
   approx mirror gen/search/query.go, and typoAt, candidates, meet and
   correct gen/search/typo.go (Go tests check that they agree). */
(() => {
  "use strict";
  const BASE = "/search/", PAGE = 10, WIN = 90, VERIFY = 20, FIXES = 4, CHARS0 = 0x3400, CHARS1 = 0xa000;
  const t2s = new Map();
  const fold = c => {
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) return 32;
    else if (c >= 0x3400) return t2s.get(c) || c;
    if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
    return c >= 0xc0 && c <= 0x4ff ? String.fromCodePoint(c).toLowerCase().codePointAt(0) : c;
  };
  // 0 separator, 1 CJK (n-grams), 2 word character.
  const cls = c => c < 0x80 ? ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? 2 : 0)
    : (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x20000 && c <= 0x3134f) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af) || c === 0x3007 ? 1
    : (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x4ff) ? 2 : 0;
  const QUOTES = new Set([0x22, 0x201c, 0x201d, 0x300c, 0x300d, 0x300e, 0x300f, 0xff02]);

  // parse: the tokens {t, run, cjk} (unique, at most 32) and the runs
  // {text, cjk, quoted, toks} of a query, as Parse in Go.
  function parse(q) {
    const toks = [], runs = [], seen = new Map();
    let rs = [], cur = 0, quoted = false, start = 0;
    const add = (t, cjk) => {
      if (seen.has(t)) return seen.get(t);
      if (toks.length >= 32) return -1;
      seen.set(t, toks.length); toks.push({ t, run: runs.length, cjk });
      return toks.length - 1;
    };
    const flush = end => {
      if (!rs.length) return;
      const run = { text: q.slice(start, end), at: start, cjk: cur === 1, quoted, toks: [] };
      if (cur !== 1 || rs.length === 1) {
        const i = add(rs.join(""), cur === 1);
        if (i >= 0) run.toks.push(i);
      } else for (let i = 0; i + 1 < rs.length; i++) {
        const t = add(rs[i] + rs[i + 1], true);
        if (t < 0) break;
        run.toks.push(t);
      }
      if (run.toks.length) {
        if (run.cjk && rs.length > 1 && run.toks.length < rs.length - 1) {
          let n = 0, i = 0;
          for (const ch of run.text) {
            if (n === run.toks.length + 1) break;
            if (cls(fold(ch.codePointAt(0))) === 1) n++;
            i += ch.length;
          }
          run.text = run.text.slice(0, i);
        }
        runs.push(run);
      }
      rs = [];
    };
    let i = 0;
    for (const ch of q) {
      const c0 = ch.codePointAt(0);
      if (QUOTES.has(c0)) { flush(i); cur = 0; quoted = !quoted; i += ch.length; continue; }
      const c = fold(c0), k = cls(c);
      if (k !== cur) { flush(i); start = i; }
      cur = k;
      if (k) rs.push(String.fromCodePoint(c));
      i += ch.length;
    }
    flush(q.length);
    return { toks, runs };
  }
  const tokens = q => parse(q).toks;

  const enc = new TextEncoder(), dec = new TextDecoder(), cache = new Map(), heads = new Map(), packs = new Map();
  const hash = t => enc.encode(t).reduce((h, b) => Math.imul(h ^ b, 16777619) >>> 0, 2166136261);
  const inflate = buf => new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer();
  let meta, metaP, chars, tc, rank, nchars, pairs, words, trad, t2sP;
  // Every file but meta.json is named after content: its address is its
  // name, which browsers and caches may keep across builds.
  const url = path => BASE + path;
  function get(path, raw) {
    const key = path + (raw ? "" : "~");
    if (!cache.has(key)) {
      const p = fetch(url(path), meta ? {} : { cache: "no-cache" })
        .then(r => { if (!r.ok) throw Error(path + ": " + r.status); return r.arrayBuffer(); })
        .then(b => raw ? b : inflate(b));
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return cache.get(key);
  }
  const json = path => get(path).then(b => JSON.parse(dec.decode(b)));
  // fileName: the name of file i of a kind (shard, docs or text). The files
  // of a kind fall into groups, file i into group i mod their number, and
  // are named after their group's hash, which meta.files[kind] lists as 8
  // hex digits per group (gen/search/build.go, fileNames).
  const fileName = (kind, i) => {
    const hs = meta.files[kind], g = i % (hs.length / 8);
    return kind + "-" + i.toString(16) + "." + hs.slice(8 * g, 8 * g + 8) + ".bin";
  };
  // The metadata, loaded with the page: meta.json, then the pairs file.
  const loadMeta = () => metaP || (metaP = get("meta.json", true).then(b => {
    meta = JSON.parse(dec.decode(b));
    chars = Uint8Array.from(atob(meta.chars), c => c.charCodeAt(0));
    tc = Array.from(meta.tc);
    rank = new Int32Array(CHARS1 - CHARS0);
    nchars = 0;
    for (let i = 0; i < rank.length; i++) rank[i] = chars[i >> 3] & 1 << (i & 7) ? nchars++ : -1;
    return meta.files.pairs ? get(meta.files.pairs, true).then(p => {
      pairs = unpairs(p, meta.rice, meta.pairs);
      if (meta.wordsAt !== undefined && meta.wmod) words = unpairs(p.slice(meta.wordsAt), meta.wrice, meta.words);
      if (meta.tradAt !== undefined) trad = unpairs(p.slice(meta.tradAt), meta.trice, meta.trad);
    }) : null;
  }).catch(e => { metaP = null; throw e; }));
  // unpairs: the sorted pair numbers of the pairs file, or the word codes
  // after them (Rice-coded gaps, gen/search/pairs.go and words.go).
  function unpairs(buf, rice, n) {
    const b = new Uint8Array(buf), out = new Uint32Array(n);
    let pos = 0, prev = 0;
    const bit = () => pos < 8 * b.length ? b[pos >> 3] >> (7 - (pos++ & 7)) & 1 : 0;
    for (let i = 0; i < n; i++) {
      let g = 0;
      while (bit() && pos < 8 * b.length) g++;
      for (let j = 0; j < rice; j++) g = g * 2 + bit();
      if (i) g += prev + 1;
      out[i] = prev = g;
    }
    return out;
  }
  const loadT2S = () => t2sP || (t2sP = get(meta.files.t2s).then(b => {
    const cs = Array.from(dec.decode(b), c => c.codePointAt(0));
    for (let i = 0; i + 1 < cs.length; i += 2) t2s.set(cs[i], cs[i + 1]);
  }, e => { t2sP = null; throw e; }));
  const lacks = c => c >= CHARS0 && c < CHARS1 && !(chars[(c - CHARS0) >> 3] & 1 << ((c - CHARS0) & 7));
  const inBitmap = c => c >= CHARS0 && c < CHARS1;
  // folds: a character the site lacks that may fold to one it has: on the
  // list of traditional characters whose simplified form the site has
  // (gen/search/t2s.go), or any the site lacks without the list.
  const folds = c => lacks(c) && (!trad || trad[lower(c - CHARS0, trad)] === c - CHARS0);
  // lower: the first place in list (pairs by default) of a number not below v.
  const lower = (v, list = pairs) => {
    let lo = 0, hi = list.length;
    while (lo < hi) { const m = (lo + hi) >>> 1; if (list[m] < v) lo = m + 1; else hi = m; }
    return lo;
  };
  const pairNum = (a, b) => rank[a - CHARS0] * nchars + rank[b - CHARS0];
  // absent: a token with a character the site does not have, a pair of
  // characters the pairs file does not list, or a word without digits that
  // the word list does not have.
  function absent(t) {
    if (words && cls(t.codePointAt(0)) === 2 && !/[0-9]/.test(t)) {
      const v = hash(t) % meta.wmod;
      return words[lower(v, words)] !== v;
    }
    const cs = Array.from(t, ch => ch.codePointAt(0));
    if (cs.some(lacks)) return true;
    if (cs.length !== 2 || !pairs || !cs.every(inBitmap)) return false;
    const v = pairNum(cs[0], cs[1]);
    return pairs[lower(v)] !== v;
  }
  // settled: the metadata alone says whether the site has token t.
  const settled = t => { const cs = Array.from(t, ch => ch.codePointAt(0)); return cs.every(inBitmap) && (cs.length === 1 || (cs.length === 2 && !!pairs)); };

  // A shard: varint term count; per term its length, UTF-8 bytes,
  // postings length × 4 + 2 if dense + 1 if it has title postings, then
  // their length; then per term the first PIECE bytes of its postings and
  // title postings (PIECE: meta.piece). Piece k ≥ 1 of a longer one is in the shard's file of
  // pieces k, "more" number shard × meta.more + k - 1, after the pieces k
  // of the shard's terms before it. A term's df is the number of its
  // documents.
  function shard(buf) {
    const b = new Uint8Array(buf), m = new Map(), hs = [], off = [], PIECE = meta.piece;
    let p = 0;
    const uv = () => { let x = 0, s = 1, c; do { c = b[p++]; x += (c & 127) * s; s *= 128; } while (c & 128); return x; };
    for (let n = uv(); n > 0; n--) {
      const l = uv(), t = dec.decode(b.subarray(p, p + l));
      p += l;
      const f = uv();
      hs.push([t, f, f & 1 ? uv() : 0]);
    }
    for (const [t, f, tl] of hs) {
      const l = Math.floor(f / 4), all = l + tl, first = Math.min(all, PIECE), rest = [];
      for (let k = 1; k * PIECE < all; k++) {
        const n = Math.min(all - k * PIECE, PIECE);
        rest.push([k, off[k - 1] || 0, n]);
        off[k - 1] = (off[k - 1] || 0) + n;
      }
      m.set(t, rest.length ? { l, dense: f & 2, head: b.subarray(p, p + first), rest } : posting(b.subarray(p, p + l), b.subarray(p + l, p + all), f & 2));
      p += first;
    }
    return m;
  }
  function posting(list, title, dense) {
    let df = 0;
    for (const c of list) df += dense ? (c & 15 ? 1 : 0) + (c >> 4 ? 1 : 0) : c < 128 ? 1 : 0;
    return { df, dense, list, title };
  }
  const shardOf = t => hash(t) % meta.shards;
  const parsed = new Map();
  async function term(t) {
    if (absent(t)) return null;
    const s = shardOf(t);
    if (!parsed.has(s)) parsed.set(s, get(fileName("shard", s)).then(shard));
    const m = await parsed.get(s), e = m.get(t);
    if (!e || !e.rest) return e || null;
    // A long posting list: its pieces, fetched together, after the first.
    const parts = await Promise.all(e.rest.map(([k, off, n]) => get(fileName("more", s * meta.more + k - 1)).then(b => new Uint8Array(b, off, n))));
    const all = new Uint8Array(parts.reduce((n, q) => n + q.length, e.head.length));
    all.set(e.head);
    let at = e.head.length;
    for (const q of parts) { all.set(q, at); at += q.length; }
    const p = posting(all.subarray(0, e.l), all.subarray(e.l), e.dense);
    m.set(t, p);
    return p;
  }
  // each: every document of a posting list with its impact.
  function each(p, fn) {
    const b = p.list, len = b.length;
    if (p.dense) for (let j = 0; j < 2 * len; j++) {
      const x = b[j >> 1] >> (j & 1) * 4 & 15;
      if (x) fn(j, x);
    } else for (let j = 0, doc = -1; j < len;) {
      let x = b[j++];
      if (x > 127) { x &= 127; for (let s = 128, c; ; s *= 128) { c = b[j++]; x += (c & 127) * s; if (c < 128) break; } }
      doc += x >>> 4;
      fn(doc, x & 15);
    }
  }
  const idf = df => Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));

  // coverage: the factor of a document's score from its set of tokens m (a
  // bit mask), 0 if it does not match: Coverage in Go.
  function coverage(pq, active, m) {
    const has = t => (m >>> t & 1) === 1;
    let total = 0, covered = 0, pairs = 0, adj = 0;
    for (const r of active) {
      if (!r.cjk) { if (!has(r.toks[0])) return 0; continue; }
      const k = r.toks.length;
      if (k === 1 && Array.from(pq.toks[r.toks[0]].t).length === 1) {
        total++;
        if (has(r.toks[0])) covered++; else if (r.quoted) return 0;
        continue;
      }
      total += k + 1;
      for (let j = 0; j <= k; j++) if ((j > 0 && has(r.toks[j - 1])) || (j < k && has(r.toks[j]))) covered++;
      pairs += k - 1;
      for (let j = 0; j < k; j++) {
        if (!has(r.toks[j])) { if (r.quoted) return 0; } else if (j > 0 && has(r.toks[j - 1])) adj++;
      }
    }
    if (total > 0 && 2 * covered <= total) return 0;
    let f = 1;
    if (total > 0) f += covered / total;
    if (pairs > 0) f *= 1 + 0.5 * adj / pairs;
    if (covered === total && adj === pairs) f *= 2;
    return f;
  }

  // titleFactor: what a title with every known token of the query adds: TitleFactor in Go.
  const titleFactor = (known, tm, qlen, tl) => !known || (tm & known) >>> 0 !== known >>> 0 || !tl ? 1 : 1 + Math.min(1, qlen / tl);

  // typoAt, candidates, meet and correct: a stretch of Chinese with one
  // mistyped character, corrected as in gen/search/typo.go.
  function typoAt(r, present) {
    if (!r.cjk || r.quoted || r.toks.length < 2) return -1;
    let first = -1, missing = 0;
    r.toks.forEach((t, j) => { if (!present[t]) { if (!missing) first = j; missing++; } });
    return missing !== 2 || first + 1 === r.toks.length || present[r.toks[first + 1]] ? -1 : first + 1;
  }
  const runChars = (pq, r) => r.toks.flatMap((t, j) => { const cs = Array.from(pq.toks[t].t, c => c.codePointAt(0)); return j ? [cs[cs.length - 1]] : [cs[0], cs[cs.length - 1]]; });
  let byRank, common;
  // candidates: the characters c with pairs (a, c) and (c, b) on the site,
  // rarest first by meta.tc (then by code point), at most FIXES.
  function candidates(a, b) {
    const on = c => inBitmap(c) && rank[c - CHARS0] >= 0;
    if (!pairs || !on(a) || !on(b)) return [];
    if (!byRank) {
      byRank = new Int32Array(nchars); common = new Map();
      rank.forEach((r, i) => { if (r >= 0) byRank[r] = CHARS0 + i; });
      tc.forEach((c, i) => { const k = c.codePointAt(0); if (!common.has(k)) common.set(k, tc.length - i); });
    }
    const from = rank[a - CHARS0] * nchars, out = [];
    for (let i = lower(from); i < pairs.length && pairs[i] < from + nchars; i++) {
      const c = byRank[pairs[i] - from], v = pairNum(c, b);
      if (pairs[lower(v)] === v) out.push(c);
    }
    out.sort((p, q) => (common.get(p) || 0) - (common.get(q) || 0) || p - q);
    return out.slice(0, FIXES);
  }
  // meet: the best score of a page with both tokens, 0 if none has both.
  async function meet(s, t) {
    const [p, q] = await Promise.all([term(s), term(t)]);
    if (!p || !p.df || !q || !q.df) return 0;
    const ws = idf(p.df), wt = idf(q.df), first = new Map();
    let best = 0;
    each(p, (d, x) => first.set(d, ws * x));
    each(q, (d, x) => { const f = first.get(d); if (f !== undefined) best = Math.max(best, f + wt * x); });
    return best;
  }
  // correct: q with the typo of its first run that has one replaced by the
  // candidate whose pairs meet best, "" if none.
  async function correct(q, pq, present) {
    for (const r of pq.runs) {
      const at = typoAt(r, present);
      if (at < 0) continue;
      const cs = runChars(pq, r), cands = candidates(cs[at - 1], cs[at + 1]);
      const scores = await Promise.all(cands.map(c => meet(String.fromCodePoint(cs[at - 1], c), String.fromCodePoint(c, cs[at + 1]))));
      let best = -1, top = 0;
      scores.forEach((s, i) => { if (s > top) { best = i; top = s; } });
      if (best < 0) return "";
      const typed = Array.from(r.text);
      typed[at] = String.fromCodePoint(cands[best]);
      return q.slice(0, r.at) + typed.join("") + q.slice(r.at + r.text.length);
    }
    return "";
  }

  // search: the matching documents of a query, best first, as Query in Go:
  // {hits, score, unknown, approx, suggest, words}; fix allows a typo's
  // correction.
  async function search(q, fix) {
    const pq = parse(q);
    // Whether the site has a token: from the metadata for a character or
    // pair in the bitmap's range (its shard is fetched only if the query
    // can match), from its shard for the others.
    const ps = await Promise.all(pq.toks.map(t => settled(t.t) ? null : term(t.t)));
    const present = pq.toks.map((t, i) => settled(t.t) ? !absent(t.t) : !!(ps[i] && ps[i].df));
    const active = [], unknown = [];
    let longCJK = false, have = 0;
    present.forEach((p, i) => { if (p) have |= 1 << i; });
    for (const r of pq.runs) {
      const known = r.toks.some(t => present[t]), all = r.toks.every(t => present[t]);
      if (r.cjk && r.toks.length && Array.from(pq.toks[r.toks[0]].t).length === 2) longCJK = true;
      if (!known || (r.quoted && !all)) unknown.push(r.text); else active.push(r);
    }
    if (fix) {
      const cq = await correct(q, pq, present);
      if (cq) {
        const r = await search(cq, false);
        if (r.hits.length) return Object.assign(r, { unknown, approx: true, suggest: cq });
      }
    }
    if (active.length && coverage(pq, active, have)) {
      await Promise.all(pq.toks.map(async (t, i) => { if (present[i] && settled(t.t)) ps[i] = await term(t.t); }));
    }
    lap("shards");
    const N = meta.docs, score = new Float64Array(N), mask = new Uint32Array(N), touched = [];
    let hits = [], approx = false, words = [];
    if (active.length) {
      const tmask = new Uint32Array(N), tlen = new Uint8Array(N);
      let qlen = 0, known = 0;
      for (const r of active) {
        for (const t of r.toks) if (ps[t] && ps[t].df) known |= 1 << t;
        const n = Array.from(pq.toks[r.toks[0]].t).length;
        qlen += !r.cjk ? n : n === 1 ? 1 : r.toks.length + 1;
      }
      ps.forEach((p, i) => {
        if (!p || !p.df) return;
        const w = idf(p.df), bit = 1 << i;
        each(p, (d, x) => { if (!mask[d]) touched.push(d); score[d] += w * x; mask[d] |= bit; });
        const b = p.title;
        let j = 0;
        const uv = () => { let x = 0, s = 1, c; do { c = b[j++]; x += (c & 127) * s; s *= 128; } while (c & 128); return x; };
        for (let doc = -1; j < b.length;) { doc += uv(); tmask[doc] |= bit; tlen[doc] = uv(); }
      });
      const memo = new Map();
      for (const d of touched) {
        let f = memo.get(mask[d]);
        if (f === undefined) memo.set(mask[d], f = coverage(pq, active, mask[d]));
        if (f) { score[d] = score[d] * f * titleFactor(known, tmask[d], qlen, tlen[d]); hits.push(d); }
      }
      words = highlightWords(pq, active, present);
    } else if (longCJK) {
      approx = true;
      const cs = approxChars(pq), count = new Uint8Array(N);
      // No page can have more than half of them: nothing to fetch.
      const cp = 2 * cs.filter(c => !absent(c)).length <= cs.length ? [] : await Promise.all(cs.map(term));
      cp.forEach(p => {
        if (!p || !p.df) return;
        const w = idf(p.df);
        each(p, (d, x) => { if (!count[d]) touched.push(d); score[d] += w * x; count[d]++; });
      });
      for (const d of touched) if (2 * count[d] > cs.length) { score[d] *= 1 + count[d] / cs.length; hits.push(d); }
      words = cs.map(c => ({ t: c, cjk: true }));
    }
    hits.sort((a, b) => score[b] - score[a] || a - b);
    approx = approx && hits.length > 0;
    lap("rank");
    if (active.some(r => r.quoted && r.cjk)) {
      const phrases = active.filter(r => r.quoted && r.cjk).map(r => foldText(r.text));
      const top = hits.slice(0, VERIFY), ds = await Promise.all(top.map(d => head(d).then(h => text(h).then(t => [h, t]))));
      // Pages whose stored text is cut short (ends in …) before a phrase
      // is found may have it further on: after the verified ones.
      const ok = top.filter((d, i) => { const all = foldText(ds[i][0][1] + "\n" + ds[i][1]); return phrases.every(p => all.includes(p)); });
      hits = ok.concat(top.filter((d, i) => !ok.includes(d) && ds[i][1].endsWith("\u2026")));
      lap("verify");
    }
    return { hits, score, unknown, approx, suggest: "", words };
  }
  function approxChars(pq) {
    const cs = [];
    for (const r of pq.runs) if (r.cjk) r.toks.forEach((t, j) => Array.from(pq.toks[t].t).forEach((c, k) => {
      if ((j === 0 || k === 1) && !cs.includes(c) && cs.length < 32) cs.push(c);
    }));
    return cs;
  }
  // foldText: s with each character folded, the same length in UTF-16.
  function foldText(s) {
    let n = "";
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i), f = c >= 0xd800 && c <= 0xdfff ? c : fold(c);
      n += f > 0xffff ? s[i] : String.fromCharCode(f);
    }
    return n;
  }
  // highlightWords: what to mark in titles and snippets: each stretch of a
  // Chinese run joined by pairs the site has (a word as the site writes
  // it), and each word; marking pairs only where a stretch is not found.
  function highlightWords(pq, active, present) {
    const out = [];
    for (const r of active) {
      if (!r.cjk || r.toks.length === 1) { out.push({ t: pq.toks[r.toks[0]].t, cjk: r.cjk }); continue; }
      let cur = "";
      r.toks.forEach((t, j) => {
        const s = pq.toks[t].t, ok = present[t];
        if (ok) cur = cur ? cur + Array.from(s)[1] : s;
        if ((!ok || j === r.toks.length - 1) && cur) {
          const parts = [];
          for (let i = 0, a = Array.from(cur); i + 1 < a.length; i++) parts.push(a[i] + a[i + 1]);
          out.push({ t: cur, cjk: true, parts }); cur = "";
        }
      });
    }
    return out;
  }

  // head: a document's [url, title, date, pack, offset, length], from its
  // chunk of the document table.
  async function head(id) {
    if (heads.has(id)) return heads.get(id);
    const c = Math.floor(id / meta.per), list = await json(fileName("docs", c));
    list.forEach((h, i) => heads.set(c * meta.per + i, h));
    return heads.get(id);
  }
  // text: a document's summary, a line break and the start of its text, by
  // a range request for its bytes (a server that ignores ranges sends the
  // whole pack, kept for the next ones); kept, up to TEXTS of them, since
  // the next query often shows or checks the same pages.
  const texts = new Map(), TEXTS = 4000;
  function text(h) {
    const key = h[3] + ":" + h[4];
    if (!texts.has(key)) {
      if (texts.size >= TEXTS) texts.clear();
      const p = fetchText(h);
      p.catch(() => texts.delete(key));
      texts.set(key, p);
    }
    return texts.get(key);
  }
  async function fetchText(h) {
    const [pack, off, n] = h.slice(3), path = fileName("text", pack);
    let b;
    if (packs.has(path)) b = (await packs.get(path)).slice(off, off + n);
    else {
      const r = await fetch(url(path), { headers: { Range: "bytes=" + off + "-" + (off + n - 1) } });
      if (!r.ok) throw Error(path + ": " + r.status);
      if (r.status === 206) b = await r.arrayBuffer();
      else {
        const whole = r.arrayBuffer();
        packs.set(path, whole);
        b = (await whole).slice(off, off + n);
      }
    }
    return untext(new Uint8Array(b), tc);
  }
  // untext: a stored text from its code: each character is its rank in
  // meta.tc, one byte below 128, two bytes up to 0xFE, else 0xFF and UTF-8
  // (textcode.go).
  function untext(b, tc) {
    let s = "";
    for (let i = 0; i < b.length;) {
      const c = b[i];
      if (c < 0x80) { s += tc[c]; i++; }
      else if (c < 0xff) { s += tc[0x80 + ((c - 0x80) << 8 | b[i + 1])]; i += 2; }
      else { const l = b[i + 1], n = l < 0x80 ? 1 : l < 0xe0 ? 2 : l < 0xf0 ? 3 : 4; s += dec.decode(b.subarray(i + 1, i + 1 + n)); i += 1 + n; }
    }
    return s;
  }

  // Highlights: the words found in a folded copy of s (the same length, so
  // offsets carry over), merged into [start, end) ranges.
  function ranges(s, words) {
    const n = foldText(s), r = [], m = [];
    const find = (t, cjk) => {
      let found = false;
      for (let i = n.indexOf(t); i >= 0; i = n.indexOf(t, i + 1)) {
        const e = i + t.length;
        if (cjk || (cls(n.charCodeAt(i - 1)) !== 2 && cls(n.charCodeAt(e)) !== 2)) { r.push([i, e]); found = true; }
      }
      return found;
    };
    for (const w of words) if (!find(w.t, w.cjk) && w.parts) w.parts.forEach(p => find(p, true));
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
  function snippet(el, text, summary, words) {
    const rs = ranges(text, words);
    if (!rs.length) return marked(el, summary, ranges(summary, words));
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
  const api = window.gongjianSearch = { tokens, parse, untext, loadT2S: () => loadMeta().then(loadT2S) };
  if (!root) return;
  const form = root.querySelector("form"), input = form.elements.q, msg = root.dataset;
  const status = document.getElementById("search-status"), list = document.getElementById("search-results");
  const more = document.getElementById("search-more"), el = (tag, cls) => Object.assign(document.createElement(tag), cls ? { className: cls } : {});
  const kindName = k => msg["kind" + k.charAt(0).toUpperCase() + k.slice(1)] || k;
  const fill = (key, ...args) => { let i = 0; return (msg[key] || "").replace(/%[ds]/g, () => args[i++]); };
  // The kind filter and the note (unknown terms, approximate results,
  // suggestions) sit between the status and the list.
  const kinds = el("div", "search-kinds"), note = el("div", "search-note");
  kinds.setAttribute("role", "group");
  if (msg.kindAll) kinds.setAttribute("aria-label", msg.kindLabel || msg.kindAll);
  status.after(note, kinds);
  let seq = 0, state, laps, lapT;
  // Where the time of a search goes, for the benchmark.
  const lap = name => { const t = performance.now(); laps[name] = t - lapT; lapT = t; };
  const kindOf = d => { for (const [k, to] of meta.kinds) if (d < to) return k; return ""; };

  // item: a result from its id and head; the snippet comes with the text
  // (show, below).
  function item(id, [url, title, date], words) {
    const li = el("li"), h = el("h2"), a = el("a"), info = el("p", "search-meta"), p = el("p");
    a.href = url;
    marked(a, title, ranges(title, words));
    h.append(a);
    info.textContent = kindName(kindOf(id)) + (date ? " · " + date : "");
    li.append(h, info, p);
    return li;
  }

  // show: the next page of results (of the chosen kind), from their chunks
  // of the document table, then the snippets.
  async function show(my, t0) {
    const ids = [];
    for (; state.next < state.hits.length && ids.length < PAGE; state.next++) {
      const d = state.hits[state.next];
      if (!state.kind || kindOf(d) === state.kind) ids.push(d);
    }
    const hs = await Promise.all(ids.map(head));
    if (my !== seq) return;
    lap("docs");
    const ps = hs.map((h, i) => list.appendChild(item(ids[i], h, state.words)).lastChild);
    state.shown += ids.length;
    more.hidden = state.shown >= state.count;
    lap("render");
    const last = api.last = { q: state.q, n: state.hits.length, ms: performance.now() - t0, laps, unknown: state.unknown, approx: state.approx, suggest: state.suggest };
    Promise.all(hs.map(text)).then(ts => {
      if (my !== seq) return;
      ts.forEach((t, i) => {
        const nl = t.indexOf("\n");
        snippet(ps[i], t.slice(nl + 1), t.slice(0, nl), state.words);
      });
      last.done = performance.now() - t0;
    }, () => { last.done = -1; });
  }

  // filters: a button per kind that has results, with its count.
  function filters(my) {
    kinds.textContent = "";
    const counts = new Map();
    for (const d of state.hits) { const k = kindOf(d); counts.set(k, (counts.get(k) || 0) + 1); }
    if (counts.size < 2) return;
    const btn = (k, n) => {
      const b = el("button", "search-kind");
      b.type = "button";
      b.textContent = (k ? kindName(k) : msg.kindAll || "") + " " + n;
      b.setAttribute("aria-pressed", String(state.kind === k));
      b.dataset.kind = k;
      b.addEventListener("click", () => {
        if (my !== seq) return;
        state.kind = k; state.next = 0; state.shown = 0; state.count = k ? counts.get(k) : state.hits.length;
        kinds.querySelectorAll("button").forEach(x => x.setAttribute("aria-pressed", String(x === b)));
        list.textContent = "";
        show(my, performance.now());
      });
      kinds.append(b);
    };
    btn("", state.hits.length);
    for (const [k] of meta.kinds) if (counts.has(k)) btn(k, counts.get(k));
  }

  // explain: unknown terms, approximate results, and for no results the
  // query's words that the site has and the topics.
  function explain(r) {
    note.textContent = "";
    const line = (text, links) => {
      const p = el("p");
      p.textContent = text;
      for (const [href, label] of links || []) { const a = el("a"); a.href = href; a.textContent = label; p.append(" ", a); }
      note.append(p);
    };
    if (r.unknown.length) line(fill("unknown", r.unknown.join("、")));
    if (r.approx && r.hits.length) line(msg.approx || "");
    if (r.suggest) line(msg.correct || "", [["?q=" + encodeURIComponent(r.suggest), r.suggest]]);
    if (r.hits.length) return;
    // The stretches of the query the site has, each of which finds pages.
    const parts = r.approx ? [] : [...new Set(r.words.map(w => w.t))];
    if (parts.length) line(msg.suggest || "", parts.map(t => ["?q=" + encodeURIComponent(t), t]));
    if (meta.topics.length) line(msg.topics || "", meta.topics.map(([u, t]) => [u, t]));
  }

  async function run(q) {
    const my = ++seq, t0 = performance.now();
    laps = {}; lapT = t0;
    list.textContent = ""; kinds.textContent = ""; note.textContent = ""; more.hidden = true;
    if (!parse(q).toks.length) return void (status.textContent = q.trim() ? msg.none || "" : msg.hint || "");
    status.textContent = msg.loading || "";
    try {
      if (!meta) await loadMeta();
      if (Array.from(q).some(ch => folds(ch.codePointAt(0)))) await loadT2S();
      const r = await search(q, true);
      if (my !== seq) return;
      state = Object.assign(r, { q, kind: "", next: 0, shown: 0, count: r.hits.length });
      explain(r);
      filters(my);
      await show(my, t0);
      if (my === seq) status.textContent = r.hits.length ? fill("count", r.hits.length) : msg.none || "";
    } catch (e) {
      if (my === seq) status.textContent = msg.error || "";
    }
  }

  let timer;
  // The address follows the query once its results are shown: replaceState
  // waits on the browser process, and the search's first steps, run as
  // microtasks, would wait for it (2 to 490 ms on a loaded machine).
  const go = () => {
    clearTimeout(timer);
    run(input.value).then(() => history.replaceState(null, "", input.value ? "?q=" + encodeURIComponent(input.value) : location.pathname));
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
