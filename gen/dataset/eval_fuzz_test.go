package dataset

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEval parses and evaluates expressions of the {{data: …}} language
// against the small datasets of evalSets: any text an editor writes must
// give a figure or an error, never a panic or a hang, and an error must
// say something.
func FuzzEval(f *testing.F) {
	for _, s := range []string{
		"requests | count",
		"requests | count where status = 已解决 and received >= 2026/3/5",
		`requests | where 类别 = "水电气暖" | rate resolved as int`,
		"requests | avg days received to resolved as 1dp",
		"requests | max days received to resolved",
		"requests | min received",
		"requests | last category",
		"requests | distinct category",
		"requests | median share",
		"points | change redeemed to redeemed",
		"points | drop redeemed to year as percent",
		"points | sum redeemed as cn",
		"points | max month where month < 2300-01",
		"points | count where redeemed is not blank",
		"requests | count where received < 1600-06-15",
		"requests | rate status = 已解决 where id != 3",
		"requests\u3000|\u3000count",
		"requests | count where id >= '1,000'",
		`requests | count where category = "`,
		"| | where",
		"requests | where",
		"requests ! count",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		sets := evalSets(t)
		got, err := Eval(sets, expr)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Eval(%q): an empty error", expr)
			}
			return
		}
		if got == "" && !strings.Contains(expr, "first") && !strings.Contains(expr, "last") {
			t.Fatalf("Eval(%q) = \"\" without an error", expr)
		}
		if utf8.ValidString(expr) && !utf8.ValidString(got) {
			t.Fatalf("Eval(%q) = %q: not UTF-8", expr, got)
		}
		// Where takes what follows "where"; it must not panic either.
		if _, rest, ok := strings.Cut(expr, "where"); ok {
			_, _ = sets[0].Where(rest)
		}
	})
}
