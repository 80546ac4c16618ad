package kioskdata_test

import (
	"fmt"
	"os"

	"gongjian/gen/dataset"
	"gongjian/gen/kioskdata"
)

// The build adds the kiosk datasets to those of data/ and quotes them
// like any other.
func ExampleDatasets() {
	sets, _, errs := kioskdata.Datasets(os.DirFS("../.."), "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range sets {
		fmt.Println(d.Name, d.SchemaPath, d.Updated.Format("2006-01-02"), d.Sample)
	}
	for _, expr := range []string{
		"kiosk-freshness | max last_pull",
		"kiosk-households | max households where scope = 合计",
	} {
		v, err := dataset.Eval(sets, expr)
		fmt.Println(expr, "=", v, err)
	}
	// Output:
	// kiosk-freshness data/kiosk/kiosk-freshness.yaml 2026-11-27 true
	// kiosk-households data/kiosk/kiosk-households.yaml 2026-11-27 true
	// kiosk-points data/kiosk/kiosk-points.yaml 2026-11-27 true
	// kiosk-weights data/kiosk/kiosk-weights.yaml 2026-11-27 true
	// kiosk-freshness | max last_pull = 2026年11月27日 <nil>
	// kiosk-households | max households where scope = 合计 = 1059 <nil>
}
