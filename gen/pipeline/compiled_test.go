package pipeline

import (
	"bytes"
	"context"
	"maps"
	"os"
	"slices"
	"testing"
)

// TestCompiledTemplates renders the example portal and a generated site
// twice, with the templates compiled by tmplexec and with html/template
// alone, and requires the same files byte for byte. It also requires that
// the compiled form did run the pages, so that the comparison compares
// something.
func TestCompiledTemplates(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  string
		// fallbacks is the most runs that may fall back to html/template:
		// the example's charts and dataset pages, which hold values in
		// scripts (jsvalescaper), do.
		fallbacks int64
	}{
		{"example", "../..", 30},
		{"generated", benchSite(t, 300), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			render := func(interpret bool) (map[string][]byte, *Site) {
				s, err := Load(context.Background(), os.DirFS(tc.dir), Options{Src: tc.dir, CacheDir: t.TempDir(), Interpret: interpret})
				if err != nil {
					t.Fatal(err)
				}
				w := &memFiles{files: map[string][]byte{}}
				if _, err := s.Render(context.Background(), w); err != nil {
					t.Fatal(err)
				}
				return w.files, s
			}
			want, slow := render(true)
			got, fast := render(false)
			if n := slow.e.r.Theme.Runs().Compiled.Load(); n != 0 {
				t.Errorf("with Interpret, %d template runs were compiled", n)
			}
			runs := fast.e.r.Theme.Runs()
			compiled, interpreted, fallback := runs.Compiled.Load(), runs.Interpreted.Load(), runs.Fallback.Load()
			t.Logf("%d template runs compiled, %d first runs, %d fell back", compiled, interpreted, fallback)
			// Each template runs interpreted once, the run that escapes it.
			if compiled < 2*interpreted {
				t.Errorf("only %d template runs compiled, against %d interpreted", compiled, interpreted)
			}
			if fallback > tc.fallbacks {
				t.Errorf("%d template runs fell back to html/template; at most %d may", fallback, tc.fallbacks)
			}
			for _, name := range slices.Sorted(maps.Keys(want)) {
				if g, ok := got[name]; !ok {
					t.Errorf("%s: missing with compiled templates", name)
				} else if !bytes.Equal(g, want[name]) {
					t.Errorf("%s differs with compiled templates:\n%s", name, firstDiff(string(g), string(want[name])))
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s: only with compiled templates", name)
				}
			}
		})
	}
}
