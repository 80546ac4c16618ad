package content

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var simpleFronts = []string{
	"title: 标题\ndate: 2026-03-05\nsummary: 摘要\ntopics: [river]\ntags: [a, b]\n",
	"title: 五级联动、四队上阵：“5433”机制\ndate: 2026-01-16 09:30\nsummary: s\ntopics: [governance, river]\ntags: [5433机制, 共同缔造]\n",
	"title: true\ndraft: false\nsample: True\nsummary: ~\ntags: []\n",
	"title: null\ncover: img/a.jpg\ncover_alt: 一张 照片 # 不是注释吗\n",
	"title: a#b\nsummary: C# and F#\ntags: [a#b,c]\n",
	"title: 10:30\nsummary: x: y\n",
	"title: 123\nsummary: 0x1F\ndate: 2026-01-01T10:00:00+08:00\n",
	"title: [a, b\n",
	"title: [a,, b]\n",
	"title: [ a , b ]\n",
	"title: [a, b,]\n",
	"title: 'quoted'\n",
	"title: \"q\"\n",
	"title: a\n\nsummary: b\n",
	"title: a\ntitle: b\n",
	"title:a\n",
	"title:  two spaces\n",
	"title: trailing \n",
	"title: tab\there\n",
	"title: - dash\n",
	"title: -dash\n",
	"title: ?q\n",
	"title: &a x\nsummary: *a\n",
	"title: {a: b}\n",
	"title: a]b\nsummary: a}b[c{\n",
	"tags: [a]b]\n",
	"title: .inf\nsummary: .5\n",
	"title: x\u2028y\n",
	"title: x\u0085y\n",
	"title: x\u00a0y\u3000\n",
	"title: x\ufeffy\n",
	"title: x\r\n",
	"Title: x\n",
	"title_x: x\n",
	"title: it's \"fine\"\n",
	"title: 'a' b\n",
	"title: a 'b'\n",
	"title: %x\n",
	"title: @x\n",
	"title: x|y>z\n",
	"title: <<\n",
	"title: a:\n",
	"tags: [a:b]\n",
	"tags: [a: b]\n",
	"tags: [\"a\", b]\n",
	"title: x\xff\n",
}

// TestSimpleFront checks the front matter fast path against the YAML
// parser: whatever it accepts, it reads exactly as yaml.Unmarshal does.
func TestSimpleFront(t *testing.T) {
	accepted := 0
	for _, src := range simpleFronts {
		if checkSimpleFront(t, src) {
			accepted++
		}
	}
	if accepted < 10 {
		t.Errorf("fast path took only %d of the %d examples", accepted, len(simpleFronts))
	}
}

func FuzzSimpleFront(f *testing.F) {
	for _, src := range simpleFronts {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) { checkSimpleFront(t, src) })
}

func checkSimpleFront(t *testing.T, src string) bool {
	t.Helper()
	m, ok := simpleFront([]byte(src))
	if !ok {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Errorf("%q: fast path accepted what YAML rejects: %v", src, err)
		return true
	}
	if len(doc.Content) != 1 {
		t.Errorf("%q: YAML found %d documents", src, len(doc.Content))
		return true
	}
	if got, want := dumpNode(m), dumpNode(doc.Content[0]); got != want {
		t.Errorf("%q:\nfast path %s\nYAML      %s", src, got, want)
	}
	return true
}

func dumpNode(n *yaml.Node) string {
	var b strings.Builder
	fmt.Fprintf(&b, "(%d %s %q L%d C%d", n.Kind, n.ShortTag(), n.Value, n.Line, n.Column)
	for _, c := range n.Content {
		b.WriteString(" ")
		b.WriteString(dumpNode(c))
	}
	b.WriteString(")")
	return b.String()
}
