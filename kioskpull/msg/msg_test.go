package msg

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"unicode"

	"gongjian/gen/diag"
)

// marker prints itself whatever the verb, so a format can be checked for
// which arguments it uses without knowing their types.
type marker int

func (m marker) Format(f fmt.State, verb rune) { fmt.Fprintf(f, "«%d»", int(m)) }

// argsUsed returns how many arguments format consumes, by formatting with
// markers and seeing which appear.
func argsUsed(format string) (used []int, bad string) {
	args := make([]any, 9)
	for i := range args {
		args[i] = marker(i)
	}
	out := fmt.Sprintf(format, args...)
	for i := range args {
		if strings.Contains(out, fmt.Sprintf("«%d»", i)) {
			used = append(used, i)
		}
	}
	if i := strings.Index(out, "%!"); i >= 0 && !strings.HasPrefix(out[i:], "%!(EXTRA") {
		return used, out
	}
	return used, ""
}

func TestCatalogueLanguagesAgree(t *testing.T) {
	keys := Keys()
	if len(keys) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, k := range keys {
		text, _ := Lookup(k)
		zh, badZH := argsUsed(text.ZH)
		en, badEN := argsUsed(text.EN)
		if text.EN1 != "" {
			en1, bad := argsUsed(text.EN1)
			if bad != "" || fmt.Sprint(en1) != fmt.Sprint(en) {
				t.Errorf("%s: EN1 %q uses arguments %v, EN %v", k, text.EN1, en1, en)
			}
		}
		if badZH != "" || badEN != "" {
			t.Errorf("%s: bad format: zh %q, en %q", k, badZH, badEN)
		}
		if fmt.Sprint(zh) != fmt.Sprint(en) {
			t.Errorf("%s: zh uses arguments %v, en %v\nzh: %s\nen: %s", k, zh, en, text.ZH, text.EN)
		}
		if !hasHan(text.ZH) && hasWords(text.EN) {
			t.Errorf("%s: zh-CN text has no Chinese: %q", k, text.ZH)
		}
	}
}

// hasWords reports whether s has English words to translate: letters
// outside format verbs and the program's name.
func hasWords(s string) bool {
	s = strings.ReplaceAll(s, "kioskpull", "")
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			// Skip flags, width, argument index and the verb letter.
			for i++; i < len(s) && !unicode.IsLetter(rune(s[i])) && s[i] != '%'; i++ {
			}
			continue
		}
		if unicode.IsLetter(rune(s[i])) {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestLangFrom(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want Lang
	}{
		{nil, ZH},
		{map[string]string{"LANG": "en_US.UTF-8"}, EN},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LANG": "C.UTF-8"}, ZH},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB"}, EN},
		{map[string]string{"LANG": "en_US", "LC_ALL": "zh_CN.UTF-8"}, ZH},
		{map[string]string{"LC_ALL": "en"}, EN},
	}
	for _, tt := range tests {
		got := LangFrom(func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("LangFrom(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

const (
	testOuter  Key = "test.outer"
	testInner  Key = "test.inner"
	testPlural Key = "test.plural"
)

func init() {
	Register(map[Key]Text{
		testOuter:  {ZH: "外层 %[2]s：%[1]v", EN: "outer %[2]s: %[1]v"},
		testInner:  {ZH: "内层 %d", EN: "inner %d"},
		testPlural: {ZH: "重连 %d 次", EN: "%d reconnects", EN1: "%d reconnect"},
	})
}

// wrapper adds nothing to what it wraps, like an exit status.
type wrapper struct{ err error }

func (w wrapper) Error() string { return w.err.Error() }
func (w wrapper) Unwrap() error { return w.err }

func TestErrorChain(t *testing.T) {
	inner := Errorf(testInner, 7)
	err := wrapper{errors.Join(Errorf(testOuter, inner, "K01"), fs.ErrNotExist)}
	tests := []struct {
		p    *Printer
		want string
	}{
		{New(ZH), "外层 K01：内层 7\nfile does not exist"},
		{New(EN), "outer K01: inner 7\nfile does not exist"},
	}
	for _, tt := range tests {
		if got := tt.p.Error(err); got != tt.want {
			t.Errorf("Error(%v) in %v = %q, want %q", err, tt.p.Lang, got, tt.want)
		}
	}
	if got, want := err.Error(), "outer K01: inner 7\nfile does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, inner) || !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see the arguments")
	}
	if got, want := New(ZH).Sprintf(testOuter, nil, testInner), "外层 内层 %d：<nil>"; got != want {
		t.Errorf("Key argument: got %q, want %q", got, want)
	}
	for n, want := range map[int]string{1: "1 reconnect", 2: "2 reconnects", 0: "0 reconnects"} {
		if got := English.Sprintf(testPlural, n); got != want {
			t.Errorf("plural of %d = %q, want %q", n, got, want)
		}
	}
	if got := New(ZH).Sprintf("no.such.key %d", 3); got != "no.such.key 3" {
		t.Errorf("unknown key = %q", got)
	}
}

// TestPrinterDiag: the problems of a diag.List print one per line, and one
// made from a catalogue error is translated after its file and line.
func TestPrinterDiag(t *testing.T) {
	var l diag.List
	l.Add(diag.At("stick/a.csv", 7, Errorf(ExportTimeDayMonth, "1/3/2026 09:00")))
	l.Add(diag.At("stick/a.csv", 0, Errorf(ExportTimeSerial, "46025")))
	l.Addf("stick/a.csv", 9, "checksum mismatch")
	err := fmt.Errorf("import: %w", l)
	tests := []struct {
		lang Lang
		want []string
	}{
		{ZH, []string{"stick/a.csv:7：时间 \"1/3/2026 09:00\" 把日、月写在年份前面", "stick/a.csv：", "stick/a.csv:9: checksum mismatch"}},
		{EN, []string{"stick/a.csv:7: time \"1/3/2026 09:00\" puts day and month", "stick/a.csv: ", "stick/a.csv:9: checksum mismatch"}},
	}
	for _, tt := range tests {
		got := strings.Split(New(tt.lang).Error(l), "\n")
		if len(got) != len(tt.want) {
			t.Fatalf("lang %d: %d lines, want %d:\n%s", tt.lang, len(got), len(tt.want), strings.Join(got, "\n"))
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("lang %d: line %d = %q, want it to start %q", tt.lang, i+1, got[i], w)
			}
		}
	}
	if !strings.Contains(New(EN).Error(err), "stick/a.csv:9: checksum mismatch") {
		t.Errorf("a wrapped list prints %q", New(EN).Error(err))
	}
}
