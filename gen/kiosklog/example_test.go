package kiosklog_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"gongjian/gen/kiosklog"
)

// The site generator loads the store and aggregates it; hidden household
// counts come out as Shown == false with Count 0. Household counts are
// published only for months closed in the ledger: here kioskpull's part,
// closing the months every listed kiosk has reported past, is done in
// memory.
func ExampleAggregate() {
	head := "kiosk,epoch,seq,time,card,category,grams,points\n"
	fsys := fstest.MapFS{
		"data/kiosk/kiosks.yaml": {Data: []byte("kiosks:\n  - id: K02\n    compound: 玫瑰苑\n")},
		"data/kiosk/K02/e1-0000000001-0000000002.csv": {Data: []byte(head +
			"K02,1,1,2026-05-03T09:15:00+08:00,h0123456789abcdef,paper,1830,18\n" +
			"K02,1,2,2026-05-03T10:02:41+08:00,h1111111111111111,plastic,420,8\n")},
		"data/kiosk/K02/pull.yaml": {Data: []byte("kiosk: K02\nlast_pull: 2026-11-27T09:30:00+08:00\nsource: pull\nepoch: 1\nlast_seq: 2\ncomplete: true\n")},
	}
	log, err := kiosklog.Load(fsys, "data/kiosk")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, month := range kiosklog.Closable(log) {
		p, err := kiosklog.Freeze(log, month, time.Date(2026, 11, 27, 9, 31, 0, 0, kiosklog.Location), kiosklog.ClosedReported)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(month, "closes")
		log.Published = append(log.Published, p)
	}
	agg := kiosklog.Aggregate(log.Records, kiosklog.Options{Kiosks: log.Kiosks, Pulls: log.Pulls, Published: log.Published})
	for _, w := range agg.Weights {
		fmt.Printf("%s %s %s (%s): %.2f kg, %d points\n", w.Compound, w.Month, w.Category.Chinese(), w.Category, w.KG(), w.Points)
	}
	for _, h := range agg.Households {
		fmt.Printf("%s %s households: shown=%v (%s)\n", h.Compound, h.Month, h.Shown, h.Suppressed)
	}
	for _, f := range agg.Freshness {
		fmt.Printf("%s 数据拉取于 %s\n", f.Compound, f.LastPull.Format("2006-01-02 15:04"))
	}
	// Output:
	// 2026-05 closes
	// 玫瑰苑 2026-05 塑料 (plastic): 0.42 kg, 8 points
	// 玫瑰苑 2026-05 纸张 (paper): 1.83 kg, 18 points
	// 玫瑰苑 2026-05 households: shown=false (primary)
	// 玫瑰苑 数据拉取于 2026-11-27 09:30
}
