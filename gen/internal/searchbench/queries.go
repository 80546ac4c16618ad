package main

import (
	"bufio"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gongjian/gen/search"
)

// query is one line of a query file.
type query struct {
	line       int
	kind, text string
	expect     []string // e.g. "top1 /news/x/", "none", "unknown:AI"
}

// loadQueries parses a query file (see queries.txt), resolving "@URL N"
// to a phrase of that story.
func loadQueries(name, src string, docs []search.Doc) ([]query, error) {
	var out []query
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want KIND<TAB>QUERY<TAB>EXPECTED, got %d fields", name, n, len(f))
		}
		q := query{line: n, kind: f[0], text: f[1]}
		if rest, ok := strings.CutPrefix(q.text, "@"); ok {
			url, num, _ := strings.Cut(rest, " ")
			k, err := strconv.Atoi(num)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %q: want @URL N", name, n, q.text)
			}
			if q.text, err = phraseIn(docs, url, k); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, n, err)
			}
		}
		ws := strings.Fields(f[2])
		for i := 0; i < len(ws); i++ {
			switch w := ws[i]; {
			case w == "top1" || w == "in10" || w == "exact":
				if i+1 == len(ws) {
					return nil, fmt.Errorf("%s:%d: %s needs a URL", name, n, w)
				}
				q.expect = append(q.expect, w+" "+ws[i+1])
				i++
			case w == "some" || w == "none" || strings.HasPrefix(w, "unknown:"):
				q.expect = append(q.expect, w)
			default:
				return nil, fmt.Errorf("%s:%d: unknown expectation %q", name, n, w)
			}
		}
		out = append(out, q)
	}
	return out, sc.Err()
}

// phraseIn is n characters of the second paragraph of a story's text,
// from the first place where n characters follow without punctuation.
func phraseIn(docs []search.Doc, url string, n int) (string, error) {
	i := slices.IndexFunc(docs, func(d search.Doc) bool { return d.URL == url })
	if i < 0 {
		return "", fmt.Errorf("no story %s", url)
	}
	paras := strings.Split(docs[i].Text, "\n")
	if len(paras) < 2 {
		return "", fmt.Errorf("%s has one paragraph", url)
	}
	rs := []rune(paras[1])
	for s := 0; s+n <= len(rs); s++ {
		if !slices.ContainsFunc(rs[s:s+n], func(r rune) bool { return r == '，' || r == '。' }) {
			return string(rs[s : s+n]), nil
		}
	}
	return "", fmt.Errorf("%s: no %d characters without punctuation", url, n)
}

// outcome is what a search engine answered.
type outcome struct {
	urls    []string // first page
	n       int
	unknown []string
}

// check reports whether an outcome meets q's expectations, and if not why.
func (q query) check(o outcome) (bool, string) {
	for _, e := range q.expect {
		what, url, _ := strings.Cut(e, " ")
		ok := true
		switch {
		case what == "top1":
			ok = len(o.urls) > 0 && o.urls[0] == url
		case what == "in10":
			ok = slices.Contains(o.urls, url)
		case what == "exact":
			ok = o.n == 1 && len(o.urls) == 1 && o.urls[0] == url
		case what == "some":
			ok = o.n > 0
		case what == "none":
			ok = o.n == 0
		case strings.HasPrefix(what, "unknown:"):
			ok = slices.Contains(o.unknown, strings.TrimPrefix(what, "unknown:"))
		}
		if !ok {
			first := ""
			if len(o.urls) > 0 {
				first = o.urls[0]
			}
			return false, fmt.Sprintf("want %s; got %d results, first %q, unknown %q", e, o.n, first, o.unknown)
		}
	}
	return true, ""
}
