package dataset

import (
	"os"
	"testing"
)

// TestExampleData loads the example site's datasets and checks the figures
// that FACTS.md states, so that the sample data can never contradict them.
func TestExampleData(t *testing.T) {
	sets, errs := LoadDir(os.DirFS("../.."), "data")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ expr, want string }{
		{"requests | count", "62"},
		{"requests | count where status = 已解决", "57"},
		{"requests | rate status = 已解决", "91.9%"},
		{"pilots | count", "10"},
		{"pilots | distinct place", "9"},
		{"pilots | distinct place where kind = 村", "5"},
		{"pilots | distinct place where kind = 社区", "4"},
		{"pilots | sum households where site = 华夏浅水湾小区", "310"},
		{"love-points | count", "8"},
	}
	for _, tt := range tests {
		if got, err := Eval(sets, tt.expr); err != nil || got != tt.want {
			t.Errorf("Eval(%q) = %q, %v; want %q", tt.expr, got, err, tt.want)
		}
	}
	atLeast := []struct {
		expr string
		min  float64
	}{
		{"points | last holders", 5000},
		{"points | sum redeemed", 5_000_000},
		{"other-waste | drop before to after", 0.20},
	}
	for _, tt := range atLeast {
		v, err := EvalValue(sets, tt.expr)
		if err != nil || v.Num <= tt.min {
			t.Errorf("EvalValue(%q) = %v, %v; want more than %v", tt.expr, v.Num, err, tt.min)
		}
	}
	for _, d := range sets {
		if len(d.Charts) < 1 || len(d.Charts) > 3 {
			t.Errorf("%s lists %d charts, want 1 to 3", d.Name, len(d.Charts))
		}
	}
}
