package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPairsExact: the pairs file lists exactly the pairs of the index, so
// that absent is true of every other pair of the site's characters.
func TestPairsExact(t *testing.T) {
	files, err := Build(rulesDocs)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := openFiles(t, files)
	have := map[string]bool{}
	var chars []rune
	for _, f := range files {
		if !strings.HasPrefix(f.Path, Dir+"shard-") {
			continue
		}
		b, err := inflate(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		m, err := DecodeShard(b)
		if err != nil {
			t.Fatal(err)
		}
		for term := range m {
			switch utf8.RuneCountInString(term) {
			case 2:
				have[term] = true
			case 1:
				if r, _ := utf8.DecodeRuneInString(term); r >= charsFrom && r < charsFrom+charsLen {
					chars = append(chars, r)
				}
			}
		}
	}
	if len(chars) < 50 || len(have) < 50 {
		t.Fatalf("%d characters and %d pairs: the documents should have more", len(chars), len(have))
	}
	for _, a := range chars {
		for _, b := range chars {
			p := string([]rune{a, b})
			if !x.settled(p) {
				t.Fatalf("%q: not settled by the metadata", p)
			}
			if x.absent(p) == have[p] {
				t.Errorf("absent(%q) = %v, but the index has it: %v", p, x.absent(p), have[p])
			}
		}
	}
}

func TestPairsCode(t *testing.T) {
	for _, vs := range [][]uint64{{0}, {5}, {0, 1, 2, 3}, {7, 1000, 1001, 1 << 18}, {3, 64, 4096, 4097, 1 << 20}} {
		for _, rice := range []int{0, 1, 5, 12} {
			b := encodeRice(vs, rice)
			got, err := decodePairs(b, rice, len(vs))
			if err != nil || !slices.Equal(got, vs) {
				t.Errorf("decodePairs(encode(%v), rice %d) = %v, %v", vs, rice, got, err)
			}
		}
	}
	if _, err := decodePairs([]byte{0xFF}, 2, 1); err == nil {
		t.Error("decodePairs of a gap that runs past the end: no error")
	}
	if _, err := decodePairs(nil, 2, 1); err == nil {
		t.Error("decodePairs of nothing for one pair: no error")
	}
}

// FuzzDecodePairs: a pairs file from outside never makes decodePairs panic
// or return other than n increasing numbers.
func FuzzDecodePairs(f *testing.F) {
	pairs, rice, n := encodePairs([]term{{text: "社区"}, {text: "火锅"}, {text: "区火"}}, func() []byte {
		var c [charsLen / 8]byte
		for _, r := range "社区火锅" {
			c[(r-charsFrom)/8] |= 1 << ((r - charsFrom) % 8)
		}
		return c[:]
	}())
	f.Add(pairs, rice, n)
	f.Add([]byte{0xFF, 0xFF, 0x00}, 3, 2)
	f.Fuzz(func(t *testing.T, b []byte, rice, n int) {
		vs, err := decodePairs(b, rice, n)
		if err != nil {
			return
		}
		if len(vs) != n {
			t.Fatalf("%d numbers, want %d", len(vs), n)
		}
		for i := 1; i < len(vs); i++ {
			if vs[i] <= vs[i-1] {
				t.Fatalf("numbers not increasing: %v", vs)
			}
		}
	})
}

// TestWordList: every word of letters of the site is in its word list,
// and a word not on the site looks present about once in 2^wordRice.
func TestWordList(t *testing.T) {
	var docs []Doc
	for i := range 300 {
		docs = append(docs, Doc{URL: fmt.Sprintf("/w/%d/", i), Kind: "story", Title: "word" + letters(i),
			Text: fmt.Sprintf("Ωmega%s 居民 %d", letters(i), 1000+i)})
	}
	x, fetched := memIndex(t, docs)
	for i := range 300 {
		for _, w := range []string{"word" + letters(i), "ωmega" + letters(i)} {
			if x.absent(w) {
				t.Fatalf("absent(%q), a word of the site", w)
			}
		}
		// Numbers are not listed: their shard says.
		if x.absent(fmt.Sprint(5000 + i)) {
			t.Fatalf("absent(%d): numbers are not in the list", 5000+i)
		}
	}
	clear(fetched)
	seemPresent := 0
	for i := range 20000 {
		if !x.absent("xyzzy" + letters(i)) {
			seemPresent++
		}
	}
	if seemPresent > 20000>>wordRice*2 {
		t.Errorf("%d of 20000 words not on the site look present, want about %d", seemPresent, 20000>>wordRice)
	}
	if len(fetched) != 0 {
		t.Errorf("the word list fetched %v", fetched)
	}

	// Past maxListWords words there is no list: every word fetches its
	// shard to tell.
	var many strings.Builder
	for i := range maxListWords + 1 {
		many.WriteString("w" + letters(i) + " ")
	}
	x, _ = memIndex(t, []Doc{{URL: "/many/", Kind: "story", Title: "许多词", Text: many.String()}})
	if x.wordMod != 0 || x.absent("xyzzy") {
		t.Errorf("%d words: a word list of modulus %d", maxListWords+1, x.wordMod)
	}
}

// letters writes i in base 26 with the letters a to z.
func letters(i int) string {
	s := string(rune('a' + i%26))
	for i /= 26; i > 0; i /= 26 {
		s = string(rune('a'+i%26)) + s
	}
	return s
}

// TestFoldingChars: the list after the word list has the traditional
// characters whose simplified form the site has, and no others.
func TestFoldingChars(t *testing.T) {
	files, err := Build(rulesDocs)
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Trad, Trice, TradAt int
		Files               struct{ Pairs string }
	}
	var pairs []byte
	for _, f := range files {
		if f.Path == Dir+"meta.json" {
			if err := json.Unmarshal(f.Data, &meta); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		if f.Path == Dir+meta.Files.Pairs {
			pairs = f.Data
		}
	}
	if meta.TradAt > len(pairs) {
		t.Fatalf("tradAt %d past the pairs file's %d bytes", meta.TradAt, len(pairs))
	}
	vs, err := decodePairs(pairs[meta.TradAt:], meta.Trice, meta.Trad)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := memIndex(t, rulesDocs)
	on := map[rune]bool{}
	for _, v := range vs {
		r := rune(v) + charsFrom
		on[r] = true
		if s := toSimplified(r); s == r || x.absent(string(s)) {
			t.Errorf("%c (U+%04X) is listed; its simplified form %c is not on the site", r, r, s)
		}
	}
	// 園 and 區 fold to 园 and 区 of 工业园区; 龍 to 龙, which no page has.
	for r, want := range map[rune]bool{'園': true, '區': true, '龍': false, '园': false} {
		if on[r] != want {
			t.Errorf("%c listed: %v, want %v", r, on[r], want)
		}
	}
}
