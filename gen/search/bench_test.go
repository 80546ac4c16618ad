package search

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/internal/corpus"
	"gongjian/gen/internal/cputime"
)

// benchDocs are n corpus stories with their raw Markdown as text: close
// enough to the converted text for timing Build.
func benchDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]Doc, n)
	for i := range docs {
		src := string(corpus.Story(rng, i))
		_, body, _ := strings.Cut(src[4:], "\n---\n")
		title, _, _ := strings.Cut(src[len("---\ntitle: "):], "\n")
		docs[i] = Doc{URL: "/news/story-" + string(rune('a'+i%26)) + "/" + strings.Repeat("x", i%7) + itoa(i) + "/",
			Title: title, Kind: "story", Text: body, Date: time.Date(2026, 1, 1+i%300, 0, 0, 0, 0, time.UTC)}
	}
	return docs
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func BenchmarkBuild(b *testing.B) { benchBuild(b, benchDocs(10000)) }

// BenchmarkBuildPacked is BenchmarkBuild with the texts packed, as gen
// build keeps them.
func BenchmarkBuildPacked(b *testing.B) {
	docs := benchDocs(10000)
	for i := range docs {
		docs[i].packed, docs[i].Text = appendPacked(nil, docs[i].Text), ""
	}
	benchBuild(b, docs)
}

func benchBuild(b *testing.B, docs []Doc) {
	b.ReportAllocs()
	start := cputime.Now()
	for b.Loop() {
		if _, err := Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time, not wall time: the machine may be busy with other work.
	b.ReportMetric(float64(cputime.Since(start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkWriteEdit is the index after one document of 10,000 changed,
// by a Writer that remembers the last index (what gen build does after
// one story changed) and, for comparison, by one that does not. The
// documents hold their text packed and come with their keys, as the
// feature gives them: only the changed one is hashed again.
func BenchmarkWriteEdit(b *testing.B) {
	for _, remember := range []bool{true, false} {
		name := "remembering"
		if !remember {
			name = "fresh"
		}
		b.Run(name, func(b *testing.B) {
			docs := benchDocs(10000)
			for i := range docs {
				docs[i].packed, docs[i].Text = appendPacked(nil, docs[i].Text), ""
			}
			k := Key(docs)
			var w Writer
			discard := func(File) error { return nil }
			if err := w.WriteKeyed(k, discard); err != nil {
				b.Fatal(err)
			}
			const edited = 5000 // a story in the middle: half of each list is read through
			text := docs[edited].unpacked()
			start := cputime.Now()
			n := 0
			for b.Loop() {
				n++
				docs[edited].packed = appendPacked(nil, text+strings.Repeat("补充", n%3+1))
				k.keys[edited] = docKey(xxhash.New(), &docs[edited])
				if !remember {
					w = Writer{}
				}
				if err := w.WriteKeyed(k, discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cputime.Since(start).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}
