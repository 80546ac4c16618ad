package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextCode(t *testing.T) {
	texts := []string{
		"居民议事会讨论停车难题。\n大家各抒己见，居民满意。",
		"APP积分兑换 5433 号…",
		"𠀋 astral 和 ① 符号",
		"",
	}
	chars, rank := textTableOf(texts)
	if chars[0] != '居' && chars[0] != ' ' {
		t.Errorf("table starts with %q, want the most frequent character", chars[0])
	}
	for _, s := range texts {
		b := appendTextCode(nil, s, rank)
		got, err := decodeText(b, chars)
		if err != nil || got != s {
			t.Errorf("decodeText(appendTextCode(%q)) = %q, %v", s, got, err)
		}
		if len(b) > utf8.RuneCountInString(s)*2 {
			t.Errorf("%q: %d bytes of code for %d characters, want at most 2 each", s, len(b), utf8.RuneCountInString(s))
		}
	}

	// Characters past the table (a site with more than textTable of
	// them) are escaped.
	rank = ranksOf(nil)
	rank.plus1.set('甲', 1)
	rank.plus1.set('乙', textOne+1)
	rank.plus1.set('丙', textTable)
	chars = make([]rune, textTable)
	chars[0], chars[textOne], chars[textTable-1] = '甲', '乙', '丙'
	for _, s := range []string{"甲乙丙", "丁甲𠀋乙", "é", "\uFFFD"} {
		b := appendTextCode(nil, s, rank)
		if got, err := decodeText(b, chars); err != nil || got != s {
			t.Errorf("escaped %q: got %q, %v (code % x)", s, got, err, b)
		}
	}
	for _, bad := range [][]byte{{0x80}, {0xFF}, {0xFF, 0xE4, 0xB8}, {0x85, 0x00}} {
		if got, err := decodeText(bad, chars[:textOne+10]); err == nil {
			t.Errorf("decodeText(% x) = %q, want an error", bad, got)
		}
	}
}

// FuzzTextCode: any text codes and decodes to itself, and decodeText never
// panics on bytes from outside.
func FuzzTextCode(f *testing.F) {
	for _, s := range []string{"居民议事会讨论停车难题。", "\xff\x80", "𠀋", "a\nb…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		decodeText([]byte(s), []rune("的一是"))
		s = strings.ToValidUTF8(s, "\uFFFD")
		chars, rank := textTableOf([]string{s, "的一是在"})
		got, err := decodeText(appendTextCode(nil, s, rank), chars)
		if err != nil || got != s {
			t.Fatalf("round trip of %q: %q, %v", s, got, err)
		}
	})
}

func TestPacked(t *testing.T) {
	tests := []struct {
		s    string
		size int // bytes packed; -1: not checked
	}{
		{"", 0},
		{"居民议事会讨论停车难题。", 24},
		{"积分，兑换：“洗发水”（两瓶）…①℃", 36},
		{"APP 5433\n", 9},
		{"𠀋 astral", 5 + 7},
		{"\U0010FFFF\uFFFD", 5 + 4},
		{"bad \xff\xfe\xe4\xb8 bytes", 4 + 8 + 6},
		{"\xe4\xb8\xad\xe4\xb8", 2 + 4},
		{"Größe ĳ αβγ Жж", -1},
	}
	for _, tt := range tests {
		b := appendPacked(nil, tt.s)
		if tt.size >= 0 && len(b) != tt.size {
			t.Errorf("appendPacked(%q): %d bytes, want %d (% x)", tt.s, len(b), tt.size, b)
		}
		got, rest, err := appendUnpacked(nil, b, -1)
		if err != nil || string(got) != tt.s || len(rest) != 0 {
			t.Errorf("appendUnpacked(appendPacked(%q)) = %q, rest % x, %v", tt.s, got, rest, err)
		}
	}

	// A limit stops after the character that reaches it.
	b := appendPacked(nil, "甲乙丙丁")
	for limit, want := range []string{"", "甲", "甲", "甲", "甲乙", "甲乙", "甲乙", "甲乙丙"} {
		got, rest, err := appendUnpacked([]byte("x"), b, limit)
		if err != nil || string(got) != "x"+want {
			t.Errorf("limit %d: %q, %v; want %q", limit, got, err, "x"+want)
		}
		if r, _, _ := appendUnpacked(got, rest, -1); string(r) != "x甲乙丙丁" {
			t.Errorf("limit %d: the rest unpacks to %q", limit, r[len(got):])
		}
	}

	// Every two-byte code's character lies in the ranges, and the
	// ranges fit the codes.
	tab := packTable()
	if len(tab.char) > (packRaw-packTwo)<<8 {
		t.Fatalf("%d characters with two-byte codes, room for %d", len(tab.char), (packRaw-packTwo)<<8)
	}
	for _, bad := range [][]byte{{0x80}, {packRaw}, {packUTF8}, {packUTF8, 0xE4, 0xB8}, {packUTF8, 0x80}, {packRaw - 1, 0xFF}} {
		if got, _, err := appendUnpacked(nil, bad, -1); err == nil {
			t.Errorf("appendUnpacked(% x) = %q, want an error", bad, got)
		}
	}
}

// FuzzPacked: any string packs and unpacks to itself, and any bytes
// unpack or scan without a panic (a record's kept text is read as it is).
func FuzzPacked(f *testing.F) {
	for _, s := range []string{"居民议事会讨论停车难题。", "\xff\x80", "𠀋", "a\nb…", "\xfe\xfe", "\x80\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _, err := appendUnpacked(nil, appendPacked(nil, s), -1)
		if err != nil || string(got) != s {
			t.Fatalf("round trip of %q: %q, %v", s, got, err)
		}
		appendUnpacked(nil, []byte(s), -1)
		scanPackedRuns([]byte(s), func([]rune, bool) {})
	})
}

// unpacked is the document's text, unpacked when it is packed.
func (d *Doc) unpacked() string {
	if d.packed == nil {
		return d.Text
	}
	b, _, _ := appendUnpacked(nil, d.packed, -1)
	return string(b)
}

// runsOf lists the runs scan reports, each as its text and class.
func runsOf(scan func(fn func([]rune, bool))) []string {
	var runs []string
	scan(func(rs []rune, cjk bool) {
		runs = append(runs, fmt.Sprintf("%t:%s", cjk, string(rs)))
	})
	return runs
}

func TestScanPackedRuns(t *testing.T) {
	long := strings.Repeat("居民议事会讨论停车难题", 10) // a run past runScanner's buffer
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"居民議事會 APP积分，兑换２瓶", []string{"true:居民议事会", "false:app", "true:积分", "true:兑换", "false:2", "true:瓶"}},
		{"𠀋 astral Größe", []string{"true:𠀋", "false:astral", "false:größe"}},
		{"bad\xff坏\xe4中", []string{"false:bad", "true:坏", "true:中"}},
		{long + "。", []string{"true:" + long}},
	}
	for _, tt := range tests {
		plain := runsOf(func(fn func([]rune, bool)) { scanRuns(tt.text, fn) })
		packed := runsOf(func(fn func([]rune, bool)) { scanPackedRuns(appendPacked(nil, tt.text), fn) })
		if !slices.Equal(plain, tt.want) || !slices.Equal(packed, tt.want) {
			t.Errorf("%q: runs %q, packed %q, want %q", tt.text, plain, packed, tt.want)
		}
	}
	// Corrupt text is read up to where appendUnpacked stops.
	for _, bad := range [][]byte{{'a', 0x80}, {'a', packRaw}, {'a', packUTF8}, {'a', packUTF8, 0xE4, 0xB8}, {'a', packRaw - 1, 0xFF, 'b'}} {
		if got := runsOf(func(fn func([]rune, bool)) { scanPackedRuns(bad, fn) }); !slices.Equal(got, []string{"false:a"}) {
			t.Errorf("% x: runs %q, want [false:a]", bad, got)
		}
	}
}

// FuzzScanPackedRuns: the runs of a packed text are those of the text.
func FuzzScanPackedRuns(f *testing.F) {
	for _, s := range []string{"居民議事會 APP积分", "\xff\x80坏", "𠀋", "a\nb…Ⅲ①", "\xfe\xfe", "Größe ＡＢ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain := runsOf(func(fn func([]rune, bool)) { scanRuns(s, fn) })
		packed := runsOf(func(fn func([]rune, bool)) { scanPackedRuns(appendPacked(nil, s), fn) })
		if !slices.Equal(plain, packed) {
			t.Fatalf("%q: runs %q, packed %q", s, plain, packed)
		}
	})
}

// TestPackedDocs: documents whose text is packed, as the feature keeps
// them, make the same index and the same Sum as with their text plain.
func TestPackedDocs(t *testing.T) {
	docs := benchDocs(1200)
	docs = append(docs, table...)
	// Texts that end in line breaks, short and long, and texts whose
	// snippet would fit without the line breaks it ends in, before more
	// text (the summary and its line break take 7 bytes).
	long := strings.Repeat("居民议事会讨论停车难题。", 20)
	edge := Doc{URL: "/news/edge/", Kind: "story", Title: "边界", Summary: "摘要"}
	for i, text := range []string{"短文\n\n", long + "\n\n\n", "\n\n\n", "\xff坏\xe4",
		strings.Repeat("甲", 167) + strings.Repeat("\n", 20) + "后文",
		strings.Repeat("甲", 167) + strings.Repeat("\n", 2) + "后文",
		strings.Repeat("甲", 167) + "\n\n",
	} {
		d := edge
		d.URL += strconv.Itoa(i) + "/"
		d.Text = text
		docs = append(docs, d)
	}
	plain, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Key(docs).Sum()
	if err != nil {
		t.Fatal(err)
	}
	packed := make([]Doc, len(docs))
	for i, d := range docs {
		d.packed, d.Text = appendPacked(nil, d.Text), ""
		packed[i] = d
		if a, b := snippetText(&docs[i]), snippetText(&d); a != b {
			t.Errorf("%s: snippet %q packed, %q plain", d.URL, b, a)
		}
	}
	got, err := Build(packed)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, got, plain, "when the texts are packed")
	if s, err := Key(packed).Sum(); err != nil || s != sum {
		t.Errorf("Sum packed %x, %v; plain %x", s, err, sum)
	}
}
