package cjk

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzPhrasesMatchesRef holds Phrases, budouxSplit and the model's scores
// to the reference implementation (phrase_ref_test.go) on any text.
func FuzzPhrasesMatchesRef(f *testing.F) {
	for _, s := range phraseSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rs, _ := runes(s, nil, nil)
		refRs, _ := refRunes(s)
		got, want := zhHans().scores(rs, nil), refZhHans().scores(refRs)
		if len(got) != len(want) {
			t.Fatalf("scores(%q) = %v, want %v", s, got, want)
		}
		for i := range got {
			if int(got[i]) != want[i] {
				t.Fatalf("scores(%q) = %v, want %v", s, got, want)
			}
		}
		if got, want := Phrases(s), phrasesRef(s); !slices.Equal(got, want) {
			t.Fatalf("Phrases(%q) = %q, want %q", s, got, want)
		}
		if got, want := budouxSplit(s), budouxSplitRef(s); !slices.Equal(got, want) {
			t.Fatalf("budouxSplit(%q) = %q, want %q", s, got, want)
		}
	})
}

// phraseSeeds returns Chinese titles and summaries: the tests' own, the
// example site's headings in testdata/budoux-reference.txt and the titles
// and summaries of content/news, with text mixing Latin letters, digits,
// punctuation of both widths, other scripts and bytes that are not UTF-8.
func phraseSeeds(tb testing.TB) []string {
	seeds := []string{
		"五级联动、四队上阵：“5433”机制让服务沉到楼栋",
		"五级联动、四队上阵：“5433”机制让服务沉到楼栋，居民的事情大家商量着办",
		"四点半之后，孩子们有了去处",
		"一滴水的旅程：从家里到小河",
		"智能分类回收亭分小区分品类回收重量",
		"ABC 2026年11月", "超过5000户，累计", "积分卡家庭超过5000户，累计兑换积分逾500万分",
		"账", "", "一", "的的的的", "四队上阵", "孩子们", "a“b”c", "《》", "（的）", "0的ﾉ",
		"\xff\xfe小区", "小区\xe4\xb8", "\xe4\xb8\xad\xe6", "\xed\xa0\x80的", "\xe0\x80\x80的", "\xc0\xaf", "\xf0\x90\x80", "\uFFFD的\uFFFD", "\x00的",
		"Hello, 世界! 第3号楼（2026）", "减少了 20% 以上", "一句话。 下一句", "发放的积分\n和参与",
		"ひらがなとカタカナ、한국어", "𠀀𠀁𠀂的", "😀小区😀", "ＡＢＣ１２３，小区", "——", "……的", "·的·",
		"四\u3000队\t上阵", "“‘《〈「『（【〔［｛([{的", "的，。、：；！？”’》〉」』）】〕］｝,.:;!?)]}…—%％",
	}
	f, err := os.Open("testdata/budoux-reference.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			seeds = append(seeds, strings.ReplaceAll(line, "|", ""))
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	files, _ := filepath.Glob("../../content/news/*.md")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			for _, key := range []string{"title: ", "summary: "} {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), key); ok {
					seeds = append(seeds, v)
				}
			}
		}
	}
	return seeds
}

// TestModelMatchesJSON reads every feature of the model's JSON as it is
// written and finds the same weight through the model's ids, unigram
// entries and runs of bigrams and trigrams, and no weight there that the
// JSON lacks.
func TestModelMatchesJSON(t *testing.T) {
	var raw map[string]map[string]int
	if err := json.Unmarshal(zhHansJSON, &raw); err != nil {
		t.Fatal(err)
	}
	m := zhHans()
	base, features := 0, 0
	for name, group := range raw {
		for text, w := range group {
			base -= w
			if w != 0 {
				features++
			}
			rs := []rune(text)
			k := int(name[len(name)-1] - '1')
			var got int
			switch name[:2] {
			case "UW":
				got = int(m.grams[m.id(rs[0])].uni[k])
			case "BW":
				if w := m.bigram(m.id(rs[0]), m.id(rs[1])); w != nil {
					got = int(w[k])
				}
			case "TW":
				if w := m.trigram(m.id(rs[0]), m.id(rs[1]), m.id(rs[2])); w != nil {
					got = int(w[k])
				}
			default:
				t.Fatalf("unknown feature group %s", name)
			}
			if got != w {
				t.Errorf("%s %q: weight %d, want %d", name, text, got, w)
			}
		}
	}
	if int(m.base) != base {
		t.Errorf("base %d, want %d", m.base, base)
	}

	// Each id belongs to one rune, and the ids run from 1 to the last entry
	// of grams.
	runeOf := map[uint16]rune{}
	for r, id := range m.ids {
		if id != 0 {
			if _, dup := runeOf[id]; dup {
				t.Fatalf("id %d has runes %q and %q", id, runeOf[id], rune(r))
			}
			runeOf[id] = rune(r)
		}
	}
	for r, id := range m.astral {
		runeOf[id] = r
	}
	if len(runeOf) != len(m.grams)-1 {
		t.Fatalf("%d runes with ids, %d entries in grams", len(runeOf), len(m.grams))
	}
	stored := 0
	check := func(group, text string, w int16) {
		if w != 0 {
			stored++
			if want := raw[group][text]; int(w) != want {
				t.Errorf("%s %q: weight %d in the model, %d in the JSON", group, text, w, want)
			}
		}
	}
	for id := 1; id < len(m.grams); id++ {
		r, ok := runeOf[uint16(id)]
		if !ok {
			t.Fatalf("no rune has id %d", id)
		}
		for k, w := range m.grams[id].uni {
			check(fmt.Sprintf("UW%d", k+1), string(r), w)
		}
	}
	// text returns the runes whose ids key packs, n of them.
	text := func(key uint64, n int) string {
		var rs []rune
		for i := n - 1; i >= 0; i-- {
			rs = append(rs, runeOf[uint16(key>>(16*i))])
		}
		return string(rs)
	}
	for _, s := range m.bi.slots {
		for k, w := range s.w {
			check(fmt.Sprintf("BW%d", k+1), text(s.key, 2), w)
		}
	}
	for _, s := range m.tri.slots {
		for k, w := range s.w {
			check(fmt.Sprintf("TW%d", k+1), text(s.key, 3), w)
		}
	}
	if stored != features {
		t.Errorf("%d weights in the model, %d features in the JSON", stored, features)
	}
}

func TestParseModelErrors(t *testing.T) {
	for _, data := range []string{
		`{`,
		`{"UW1":{"a":1},"BW1":{"ab":1}}`,
		`{"UW1":{"a":40000},"BW1":{"ab":1},"TW1":{"abc":1}}`,
		`{"UW1":{"a":1},"BW1":{"ab":-40000},"TW1":{"abc":1}}`,
	} {
		if _, err := parseModel([]byte(data)); err == nil {
			t.Errorf("parseModel(%s): no error", data)
		}
	}
	// A rune above the BMP, a feature of the wrong length and a group
	// of no use count in base as in the reference.
	data := []byte(`{"UW4":{"𠀀":7,"ab":100},"BW2":{"b𠀀":-3},"TW2":{"ab𠀀":5},"XX":{"x":1}}`)
	m, err := parseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.scores([]rune("ab𠀀"), nil); !slices.Equal(got, []int32{0, 2*0 - 110, 2*(7-3+5) - 110}) {
		t.Errorf("scores = %v", got)
	}
}

// TestRuneClassesMatchRef checks the character classes against their
// definitions (phrase_ref_test.go) on every rune and on -1, the rune runes
// gives a byte that is not UTF-8.
func TestRuneClassesMatchRef(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune; r++ {
		if Wide(r) != wideRef(r) {
			t.Errorf("Wide(%U) = %t", r, Wide(r))
		}
		if breakable(r) != refBreakable(r) {
			t.Errorf("breakable(%U) = %t", r, breakable(r))
		}
		if noLineEnd(r) != strings.ContainsRune(refNoLineEnd, r) {
			t.Errorf("noLineEnd(%U) = %t", r, noLineEnd(r))
		}
		if noLineStart(r) != strings.ContainsRune(refNoLineStart, r) {
			t.Errorf("noLineStart(%U) = %t", r, noLineStart(r))
		}
		if leftAttached(r) != strings.ContainsRune(refLeftAttached, r) {
			t.Errorf("leftAttached(%U) = %t", r, leftAttached(r))
		}
		if space(r) != unicode.IsSpace(r) {
			t.Errorf("space(%U) = %t", r, space(r))
		}
		if han(r) != unicode.Is(unicode.Han, r) {
			t.Errorf("han(%U) = %t", r, han(r))
		}
		if ideographs(r, r) && (!breakable(r) || space(r) || noLineEnd(r) || noLineStart(r)) {
			t.Errorf("ideographs(%U, %[1]U) but not mayBreak", r)
		}
	}
}

// TestJoinLoneMatchesRef gives joinLone and the reference's rescanning
// loop the same random breaks of random text, with many lone characters,
// particles and tied scores.
func TestJoinLoneMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("的们小区a1，")
	for range 200000 {
		n := 2 + rng.IntN(12)
		rs := make([]rune, n)
		sc := make([]int32, n)
		refSc := make([]int, n)
		var cuts []int
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
			sc[i] = int32(rng.IntN(4))
			refSc[i] = int(sc[i])
			if i > 0 && rng.IntN(3) > 0 {
				cuts = append(cuts, i)
			}
		}
		want := refJoinLone(rs, refSc, slices.Clone(cuts))
		if got := joinLone(rs, sc, slices.Clone(cuts)); !slices.Equal(got, want) {
			t.Fatalf("joinLone(%q, %v, %v) = %v, want %v", string(rs), sc, cuts, got, want)
		}
	}
}
