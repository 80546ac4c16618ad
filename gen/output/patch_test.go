package output

import (
	"errors"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// snapshot reads every file under dir, and lists folders with a slash.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			got[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		got[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// built makes a committed build of files and returns its folder, the
// site folder and the generation.
func built(t *testing.T, files map[string]string) (final, src, gen string) {
	t.Helper()
	final = filepath.Join(t.TempDir(), "public")
	src = t.TempDir()
	d := writeBuildOf(t, final, src, files)
	if d.Generation() == "" || Generation(final) != d.Generation() {
		t.Fatalf("generation %q, record says %q", d.Generation(), Generation(final))
	}
	return final, src, d.Generation()
}

var first = map[string]string{
	"index.html":             "home 1",
	"news/a/index.html":      "a 1",
	"news/b/index.html":      "b 1",
	"js/site.1111.js":        "js 1",
	"search/meta.json":       "meta 1",
	"img/p/photo.1111.jpg":   "jpeg 1",
	"news/page/2/index.html": "page 2",
}

func TestPatch(t *testing.T) {
	final, src, gen := built(t, first)
	old := filesOf(first)
	write := map[string][]byte{
		"index.html":                 []byte("home 2"),
		"news/c/index.html":          []byte("c 1"),
		"js/site.2222.js":            []byte("js 2"),
		"search/meta.json":           []byte("meta 2"),
		"deep/new/folder/index.html": []byte("deep"),
	}
	remove := []string{"js/site.1111.js", "news/page/2/index.html"}
	gen2, err := Patch(final, src, gen, old, write, remove)
	if err != nil {
		t.Fatal(err)
	}
	want := maps.Clone(first)
	for p, d := range write {
		want[p] = string(d)
	}
	for _, p := range remove {
		delete(want, p)
	}
	got := snapshot(t, final)
	// The folders are those of the files: news/page/2/ went with its
	// only file, deep/new/folder/ came with its.
	gotDirs, wantDirs := map[string]bool{}, map[string]bool{}
	for p := range got {
		if strings.HasSuffix(p, "/") {
			delete(got, p)
			gotDirs[p] = true
		}
	}
	for p := range want {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			wantDirs[d+"/"] = true
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("after Patch:\n%v\nwant\n%v", got, want)
	}
	if !maps.Equal(gotDirs, wantDirs) || !wantDirs["deep/new/folder/"] || wantDirs["news/page/2/"] {
		t.Errorf("folders after Patch:\n%v\nwant\n%v", slices.Sorted(maps.Keys(gotDirs)), slices.Sorted(maps.Keys(wantDirs)))
	}
	if gen2 == "" || gen2 == gen || Generation(final) != gen2 {
		t.Errorf("generation after Patch %q (before %q, record %q): want a new one, recorded", gen2, gen, Generation(final))
	}
	// The record now describes the patched folder: a full build takes
	// it as gen's own, and nothing is left beside it.
	tg, err := checkTarget(final, src)
	if err != nil || !tg.known {
		t.Errorf("after Patch the folder is not known as gen's (%v)", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(final))
	if len(entries) != 2 {
		t.Errorf("beside the folder after Patch: %v, want public and its record", entries)
	}
	// And a second patch from the new generation works; one from the old
	// does not.
	if _, err := Patch(final, src, gen, filesOf(want), map[string][]byte{"index.html": []byte("x")}, nil); !errors.Is(err, ErrStale) {
		t.Errorf("Patch with the old generation: %v, want ErrStale", err)
	}
}

func filesOf(m map[string]string) []string {
	var l []string
	for p := range m {
		l = append(l, p)
	}
	return l
}

// TestPatchRefusals checks that every refused or failed patch leaves the
// folder exactly as it was.
func TestPatchRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, final string) // after the build
		gen    func(gen string) string
		old    func(old []string) []string
		write  map[string][]byte
		remove []string
		want   func(error) bool
	}{{
		name:  "another generation",
		gen:   func(string) string { return "0123" },
		write: map[string][]byte{"index.html": []byte("x")},
		want:  func(err error) bool { return errors.Is(err, ErrStale) },
	}, {
		name:  "files not the recorded ones",
		old:   func(old []string) []string { return append(old, "news/z/index.html") },
		write: map[string][]byte{"index.html": []byte("x")},
		want:  func(err error) bool { return errors.Is(err, ErrStale) },
	}, {
		name:  "folder made again",
		setup: func(t *testing.T, final string) { os.Rename(final, final+".x"); os.Mkdir(final, 0o755) },
		write: map[string][]byte{"index.html": []byte("x")},
		want:  func(err error) bool { return errors.Is(err, ErrStale) },
	}, {
		name: "a file gen did not write in the way of a new one",
		setup: func(t *testing.T, final string) {
			os.MkdirAll(filepath.Join(final, "news", "mine"), 0o755)
			os.WriteFile(filepath.Join(final, "news", "mine", "index.html"), []byte("my own notes"), 0o644)
		},
		write: map[string][]byte{"index.html": []byte("home 2"), "news/a/index.html": []byte("a 2"), "news/mine/index.html": []byte("story")},
		want:  func(err error) bool { var r *RefusedError; return errors.As(err, &r) },
	}, {
		name:  "a file where a folder must go",
		write: map[string][]byte{"aaa/index.html": []byte("new"), "index.html/x.html": []byte("x"), "zzz.js": []byte("z")},
		want:  func(err error) bool { return err != nil },
	}, {
		name:   "removing a file the build did not write",
		remove: []string{"robots.txt"},
		want:   func(err error) bool { return err != nil },
	}, {
		name:  "a bad path",
		write: map[string][]byte{"../outside.html": []byte("x")},
		want:  func(err error) bool { return err != nil },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			final, src, gen := built(t, first)
			if tc.setup != nil {
				tc.setup(t, final)
			}
			before := snapshot(t, final)
			rec, _ := os.ReadFile(recordPath(final))
			old := filesOf(first)
			if tc.old != nil {
				old = tc.old(old)
			}
			if tc.gen != nil {
				gen = tc.gen(gen)
			}
			_, err := Patch(final, src, gen, old, tc.write, tc.remove)
			if !tc.want(err) {
				t.Fatalf("Patch: %v", err)
			}
			if after := snapshot(t, final); !maps.Equal(after, before) {
				t.Errorf("the folder changed:\n%v\nwas\n%v", after, before)
			}
			if now, _ := os.ReadFile(recordPath(final)); string(now) != string(rec) {
				t.Errorf("the record changed")
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(final), ".public.patch-*")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestPatchKilled stops a patch after each number of steps, as a killed
// process would, and checks that the next Create or Patch puts the folder
// back as it was before.
func TestPatchKilled(t *testing.T) {
	write := map[string][]byte{
		"index.html":          []byte("home 2"),
		"news/c/d/index.html": []byte("new"),
		"js/site.2222.js":     []byte("js 2"),
		"search/meta.json":    []byte("meta 2"),
	}
	remove := []string{"news/b/index.html", "js/site.1111.js"}
	for n := 1; n < 100; n++ {
		done := false
		for _, next := range []string{"Create", "Patch"} {
			final, src, gen := built(t, first)
			before := snapshot(t, final)
			killAfter = n
			_, err := Patch(final, src, gen, filesOf(first), write, remove)
			killAfter = 0
			if err == nil {
				if n < 8 {
					t.Fatalf("the patch took %d steps, fewer than the test expects", n-1)
				}
				done = true
				break
			}
			if !errors.Is(err, errKilled) {
				t.Fatalf("kill after %d steps: Patch returned %v", n, err)
			}
			switch next {
			case "Create":
				d, err := Create(final, src)
				if err != nil {
					t.Fatal(err)
				}
				d.Abort()
			case "Patch":
				// The record may name the new files already: the patch
				// after a kill is refused, and the build is a full one.
				if _, err := Patch(final, src, gen, filesOf(first), write, remove); !errors.Is(err, ErrStale) {
					t.Errorf("kill after %d steps, then Patch: %v, want ErrStale", n, err)
				}
			}
			if after := snapshot(t, final); !maps.Equal(after, before) {
				t.Errorf("kill after %d steps, then %s: the folder is\n%v\nwant\n%v", n, next, after, before)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(final), ".public.patch-*")); len(left) > 0 {
				t.Errorf("kill after %d steps, then %s: left behind %v", n, next, left)
			}
		}
		if done {
			break
		}
	}
}
