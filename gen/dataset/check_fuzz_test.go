package dataset

import (
	"testing"
)

// FuzzCheck parses and verifies checks as editors write them in a schema
// or site.yaml: any text must hold, fail with a message, or be refused with
// one, never panic; and what CheckSyntax accepts Verify must parse too.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"requests | count = 4",
		"requests | count where status = 已解决 = 3",
		"requests | rate status = 已解决 = 75%",
		"requests | rate resolved = 75%",
		"requests | avg share < 20%",
		"points | sum redeemed = 512万",
		"points | sum redeemed = 1.25亿",
		"points | last month = 2026年2月",
		"requests | max received >= 2026/3/10",
		`requests | first category != "安全隐患"`,
		"requests | count as int = 4",
		"requests | count = ",
		"requests | count = 4 4",
		"requests | count = .5",
		"requests | count = 9999999999999999999999999",
		"points | drop redeemed to redeemed = 0.%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		sets := evalSets(t)
		syntaxErr := CheckSyntax(expr)
		err := Check{Expr: expr}.Verify(sets)
		if syntaxErr != nil && err == nil {
			t.Fatalf("CheckSyntax(%q) = %v, but Verify holds", expr, syntaxErr)
		}
		if err != nil && err.Error() == "" {
			t.Fatalf("Verify(%q): an empty error", expr)
		}
		_ = writtenUnit(expr)
	})
}
