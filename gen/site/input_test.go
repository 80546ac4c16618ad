package site

import (
	"html/template"
	"reflect"
	"slices"
	"testing"
	"time"

	"gongjian/gen/content"
)

// TestFingerprintCoversEveryField: a change to any field a template can
// reach changes the page's fingerprint, but Body (the output) does not. A
// field added to Page is covered without anyone listing it.
func TestFingerprintCoversEveryField(t *testing.T) {
	base := &Page{}
	fp0, _ := Fingerprint(base)
	v := reflect.ValueOf(base).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		p := &Page{}
		setNonZero(t, reflect.ValueOf(p).Elem().Field(i))
		fp, _ := Fingerprint(p)
		if f.Name == "Body" {
			if fp != fp0 {
				t.Errorf("Body changed the fingerprint: the output is not an input")
			}
			continue
		}
		if fp == fp0 {
			t.Errorf("field %s (%s) does not change the fingerprint", f.Name, f.Type)
		}
	}
}

// setNonZero gives v a value other than its zero value.
func setNonZero(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int:
		v.SetInt(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(any(1)))
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf(1))
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
			return
		}
		setNonZero(t, v.Field(0))
	default:
		t.Fatalf("no non-zero value for %s", v.Type())
	}
}

// TestFingerprintInputs: an input counts by its key and version, not by
// its fields; what a page shows of it changes only with its version.
func TestFingerprintInputs(t *testing.T) {
	st := &content.Story{File: "content/news/a.md", Title: "甲", Hash: 1}
	other := &content.Story{File: "content/news/b.md", Hash: 2}
	page := func() *Page { return &Page{Kind: "list", Items: []*content.Story{st, other}} }

	fp1, keys := Fingerprint(page())
	if want := []string{"content/news/a.md", "content/news/b.md"}; !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
	st.Title = "乙" // a field changed without a new version: not an input change
	if fp, _ := Fingerprint(page()); fp != fp1 {
		t.Error("the fingerprint looked inside an input")
	}
	st.Hash = 3
	if fp, _ := Fingerprint(page()); fp == fp1 {
		t.Error("a new version of an input left the fingerprint as it was")
	}
}

// TestFingerprintMaps: parts are hashed in key order, so equal maps give
// equal fingerprints, and nested values count.
func TestFingerprintMaps(t *testing.T) {
	a := &Page{Parts: map[string]any{"x": 1, "y": []string{"a"}, "z": template.HTML("<b>")}}
	b := &Page{Parts: map[string]any{"z": template.HTML("<b>"), "y": []string{"a"}, "x": 1}}
	fa, _ := Fingerprint(a)
	fb, _ := Fingerprint(b)
	if fa != fb {
		t.Error("equal parts gave different fingerprints")
	}
	b.Parts["y"] = []string{"b"}
	if fb, _ = Fingerprint(b); fa == fb {
		t.Error("a changed list inside a part left the fingerprint as it was")
	}
	b.Parts["y"] = []string{"a"}
	b.Parts["x"] = "1" // same text, other type
	if fb, _ = Fingerprint(b); fa == fb {
		t.Error("a value of another type left the fingerprint as it was")
	}
}
