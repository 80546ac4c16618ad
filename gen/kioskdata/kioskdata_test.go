package kioskdata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gongjian/gen/chart"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kiosklog"
)

var pseudonymRE = regexp.MustCompile(`h[0-9a-f]{16}`)

// TestExampleStore derives the datasets from the example site's
// data/kiosk (8 kiosks) and checks that they load, chart and download.
func TestExampleStore(t *testing.T) {
	sets, warns, errs := Datasets(os.DirFS("../.."), "data/kiosk", "recycling")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	// May to September are closed and agree with the records; October
	// waits for K08.
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	var names []string
	for _, d := range sets {
		names = append(names, d.Name)
	}
	if want := []string{Freshness, Households, Points, Weights}; !slices.Equal(names, want) {
		t.Fatalf("datasets %v, want %v", names, want)
	}
	for _, d := range sets {
		charts, errs := chart.FromDataset(d)
		if err := errs.Err(); err != nil {
			t.Errorf("%s: charts: %v", d.Name, err)
		}
		if len(charts) == 0 || len(charts) != len(d.ChartSpecs) {
			t.Errorf("%s: %d charts built of %d listed", d.Name, len(charts), len(d.ChartSpecs))
		}
		if d.Rows == 0 {
			t.Errorf("%s: no rows", d.Name)
		}
		if got := d.Updated.Format("2006-01-02"); got != "2026-11-27" {
			t.Errorf("%s: updated %s, want the newest pull, 2026-11-27", d.Name, got)
		}
		if !d.Sample || !strings.Contains(d.Description, "示例数据") || !strings.Contains(d.Description, "白浪新苑") || strings.Contains(d.Description, "玫瑰苑") {
			t.Errorf("%s: sample %v, description %q: want sample data marked, with the sample names (白浪新苑, not 玫瑰苑)", d.Name, d.Sample, d.Description)
		}
		if d.Topic != "recycling" || d.Source != Source {
			t.Errorf("%s: topic %q, source %q; want the topic passed in, recycling", d.Name, d.Topic, d.Source)
		}
		downloads, err := d.Downloads()
		if err != nil {
			t.Fatal(err)
		}
		for _, dl := range downloads {
			if m := pseudonymRE.Find(dl.Data); m != nil {
				t.Errorf("%s: card pseudonym %s in the download", dl.Path, m)
			}
		}
	}
	if fresh := sets[0]; fresh.Rows != 8 {
		t.Errorf("%s: %d rows, want one per kiosk (8)", fresh.Name, fresh.Rows)
	}
	for _, h := range Headlines {
		if got, err := dataset.Eval(sets, h.Expr); err != nil || got == "" {
			t.Errorf("Eval(%q) = %q, %v", h.Expr, got, err)
		}
	}
	tests := []struct{ expr, want string }{
		{"kiosk-freshness | count", "8"},
		{"kiosk-freshness | max last_pull", "2026年11月27日"},
		{"kiosk-freshness | sum lost", "150"},
		{"kiosk-freshness | count where complete = 否", "1"},
		{"kiosk-households | count where scope = 合计", "6"},
		// May hides two compounds; October is open: its 8 cells and total.
		{"kiosk-households | count where households is blank", "11"},
		{"kiosk-households | count where note = " + openNote, "9"},
		{"kiosk-points | count where note = " + openNote, "8"},
		{"kiosk-points | distinct compound", "8"},
	}
	for _, tt := range tests {
		if got, err := dataset.Eval(sets, tt.expr); err != nil || got != tt.want {
			t.Errorf("Eval(%q) = %q, %v; want %q", tt.expr, got, err, tt.want)
		}
	}
	// The weight and points totals are the published rows' sums: compare
	// them with the store, less the hidden compound-months.
	log, err := kiosklog.Load(os.DirFS("../.."), "data/kiosk")
	if err != nil {
		t.Fatal(err)
	}
	agg := kiosklog.Aggregate(log.Records, kiosklog.Options{Kiosks: log.Kiosks, Pulls: log.Pulls, Published: log.Published})
	hidden := map[kioskMonth]bool{}
	for _, h := range agg.Households {
		hidden[kioskMonth{h.Kiosk, h.Month}] = !h.Shown
	}
	var points int64
	for _, w := range agg.Weights {
		if !hidden[kioskMonth{w.Kiosk, w.Month}] {
			points += w.Points
		}
	}
	for _, expr := range []string{"kiosk-points | sum points", "kiosk-weights | sum points"} {
		v, err := dataset.EvalValue(sets, expr)
		if err != nil || int64(v.Num) != points {
			t.Errorf("EvalValue(%q) = %v, %v; want %d", expr, v.Num, err, points)
		}
	}
}

// cell is how many households deposit at a kiosk in a month.
type cell struct {
	kiosk, month string
	households   int
}

// fixture builds a store where each household of each cell deposits once
// (plastic, 1,111 g, 7 points) plus, every third household, once more
// (paper, 2,345 g, 23 points), so that the figures that may be published
// are unlike the household counts that may not.
func fixture(cells []cell) fstest.MapFS {
	fsys := fstest.MapFS{}
	kiosks := "kiosks:\n"
	var order []string
	recs := map[string][]string{}
	for ci, c := range cells {
		if _, ok := recs[c.kiosk]; !ok {
			order = append(order, c.kiosk)
			kiosks += fmt.Sprintf("  - id: %s\n    compound: 小区%s\n    sample_name: true\n", c.kiosk, c.kiosk)
			recs[c.kiosk] = nil
		}
		for i := range c.households {
			card := fmt.Sprintf("h%08x%08x", ci+1, i+1)
			day := 1 + i%27
			recs[c.kiosk] = append(recs[c.kiosk], fmt.Sprintf("%s-%02dT09:%02d:00+08:00,%s,plastic,1111,7", c.month, day, i%60, card))
			if i%3 == 0 {
				recs[c.kiosk] = append(recs[c.kiosk], fmt.Sprintf("%s-%02dT18:%02d:00+08:00,%s,paper,2345,23", c.month, day, i%60, card))
			}
		}
	}
	fsys["data/kiosk/kiosks.yaml"] = &fstest.MapFile{Data: []byte(kiosks)}
	for _, k := range order {
		var b strings.Builder
		b.WriteString("kiosk,epoch,seq,time,card,category,grams,points\n")
		for i, r := range recs[k] {
			fmt.Fprintf(&b, "%s,1,%d,%s\n", k, i+1, r)
		}
		n := len(recs[k])
		fsys[fmt.Sprintf("data/kiosk/%s/%s", k, kiosklog.BatchFileName(1, 1, uint64(n)))] = &fstest.MapFile{Data: []byte(b.String())}
		fsys["data/kiosk/"+k+"/pull.yaml"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"kiosk: %s\nlast_pull: 2026-11-27T09:30:00+08:00\nsource: pull\nfirmware: sim-1.0\nepoch: 1\nlast_seq: %d\ncomplete: true\n", k, n))}
	}
	return fsys
}

// closeAll closes every month of the store as staff would
// (kioskpull close MONTH), writing its ledger file.
func closeAll(t *testing.T, fsys fstest.MapFS) fstest.MapFS {
	t.Helper()
	log, err := kiosklog.Load(fsys, "data/kiosk")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, kiosklog.Location)
	for _, m := range monthsOf(log) {
		freeze(t, fsys, log, m, at, kiosklog.ClosedByStaff)
	}
	return fsys
}

func monthsOf(log *kiosklog.Log) []string {
	var months []string
	for _, r := range log.Records {
		months = append(months, kiosklog.MonthOf(r.Time))
	}
	slices.Sort(months)
	return slices.Compact(months)
}

// published is every value of every download of sets, as text: CSV fields
// and JSON values (numbers as JSON prints them), and the cells and
// summaries of every chart.
func published(t *testing.T, sets []*dataset.Dataset) []string {
	t.Helper()
	var out []string
	for _, d := range sets {
		downloads, err := d.Downloads()
		if err != nil {
			t.Fatal(err)
		}
		for _, dl := range downloads {
			switch dl.Format {
			case "CSV":
				recs, err := csv.NewReader(bytes.NewReader(dl.Data)).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", dl.Path, err)
				}
				for _, r := range recs {
					out = append(out, r...)
				}
			case "JSON":
				var doc struct{ Rows []map[string]any }
				dec := json.NewDecoder(bytes.NewReader(dl.Data))
				dec.UseNumber()
				if err := dec.Decode(&doc); err != nil {
					t.Fatalf("%s: %v", dl.Path, err)
				}
				for _, row := range doc.Rows {
					for _, k := range slices.Sorted(maps.Keys(row)) {
						if row[k] != nil {
							out = append(out, fmt.Sprint(row[k]))
						}
					}
				}
			}
		}
		charts, errs := chart.FromDataset(d)
		if err := errs.Err(); err != nil {
			t.Fatalf("%s: charts: %v", d.Name, err)
		}
		for _, c := range charts {
			for _, r := range c.Table.Rows {
				out = append(out, r...)
			}
			out = append(out, c.Number)
		}
	}
	return out
}

// TestSuppressionNeverLeaks builds tiny stores with small household counts
// and checks that no hidden count, nor a figure it can be worked out from,
// appears in any download or chart, while the counts kiosklog shows do.
func TestSuppressionNeverLeaks(t *testing.T) {
	tests := []struct {
		name   string
		cells  []cell
		hidden []int    // household counts that must appear nowhere
		shown  []string // household counts (or totals) that must appear
		blank  int      // blank household cells (month totals included)
		// rows is the kiosk-households table, "month compound households"
		// with "-" for a hidden count, worked out by hand from the rules.
		rows []string
	}{
		{
			// K01 has 3 households: hidden. The May total (30) is shown,
			// so the smallest other cell (K02, 12) is hidden with it.
			name:   "primary and secondary",
			cells:  []cell{{"K01", "2026-05", 3}, {"K02", "2026-05", 12}, {"K03", "2026-05", 15}, {"K01", "2026-06", 20}},
			hidden: []int{3, 12},
			shown:  []string{"15", "30", "20"},
			blank:  2,
			rows: []string{"2026-05 小区K01 -", "2026-05 小区K02 -", "2026-05 小区K03 15", "2026-05 全部试点小区 30",
				"2026-06 小区K01 20", "2026-06 全部试点小区 20"},
		},
		{
			// The only kiosk of the month has 3 households: the total is
			// the same 3 and is hidden too.
			name:   "month total below the threshold",
			cells:  []cell{{"K01", "2026-05", 3}, {"K02", "2026-06", 13}},
			hidden: []int{3},
			shown:  []string{"13"},
			blank:  2,
			rows:   []string{"2026-05 小区K01 -", "2026-05 全部试点小区 -", "2026-06 小区K02 13", "2026-06 全部试点小区 13"},
		},
		{
			// With two kiosks, hiding the small one forces hiding the
			// other; the total stays.
			name:   "two kiosks",
			cells:  []cell{{"K01", "2026-07", 3}, {"K02", "2026-07", 14}},
			hidden: []int{3, 14},
			shown:  []string{"17"},
			blank:  2,
			rows:   []string{"2026-07 小区K01 -", "2026-07 小区K02 -", "2026-07 全部试点小区 17"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets, _, errs := Datasets(closeAll(t, fixture(tt.cells)), "data/kiosk", "garbage-sorting")
			if err := errs.Err(); err != nil {
				t.Fatal(err)
			}
			values := published(t, sets)
			for _, n := range tt.hidden {
				// Deposits of a hidden cell would bound it: n households
				// deposit n + ceil(n/3) times here.
				for _, bad := range []int{n, n + (n+2)/3} {
					if slices.Contains(values, strconv.Itoa(bad)) {
						t.Errorf("%d (from a hidden count of %d) is published", bad, n)
					}
				}
			}
			for _, s := range tt.shown {
				if !slices.Contains(values, s) {
					t.Errorf("%s is not published, want it shown", s)
				}
			}
			var hh *dataset.Dataset
			for _, d := range sets {
				if d.Name == Households {
					hh = d
				}
			}
			if hh == nil {
				t.Fatal("no households dataset")
			}
			count, note := hh.Column("households"), hh.Column("note")
			month, compound := hh.Column("month"), hh.Column("compound")
			blank := 0
			var rows []string
			for i := range hh.Rows {
				n := count.Format(i)
				if count.Null(i) {
					n = "-"
				}
				rows = append(rows, month.Format(i)+" "+compound.Format(i)+" "+n)
				if count.Null(i) {
					blank++
					if note.Text(i) != hiddenNote {
						t.Errorf("row %d: households blank, note %q, want %q", i, note.Text(i), hiddenNote)
					}
				}
			}
			if blank != tt.blank {
				t.Errorf("%d blank household cells, want %d", blank, tt.blank)
			}
			if !slices.Equal(rows, tt.rows) {
				t.Errorf("kiosk-households rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(tt.rows, "\n"))
			}
		})
	}
}

// TestDeterministic checks that the same store gives the same bytes: the
// tables' schemas and rows, every download and every chart's options.
func TestDeterministic(t *testing.T) {
	fsys := os.DirFS("../..")
	render := func() []byte {
		var b bytes.Buffer
		log, err := kiosklog.Load(fsys, "data/kiosk")
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables(log, "garbage-sorting") {
			j, err := json.Marshal(struct {
				Name   string
				Schema dataset.Schema
				Rows   [][]string
			}{tb.name, tb.schema, tb.rows})
			if err != nil {
				t.Fatal(err)
			}
			b.Write(j)
		}
		sets, _, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
		if err := errs.Err(); err != nil {
			t.Fatal(err)
		}
		for _, d := range sets {
			downloads, err := d.Downloads()
			if err != nil {
				t.Fatal(err)
			}
			for _, dl := range downloads {
				b.Write(dl.Data)
			}
			charts, errs := chart.FromDataset(d)
			if err := errs.Err(); err != nil {
				t.Fatal(err)
			}
			for _, c := range charts {
				b.WriteString(c.ID + c.Summary + c.Number)
				b.WriteString(string(c.Options))
			}
		}
		return b.Bytes()
	}
	first := render()
	for range 3 {
		if !bytes.Equal(render(), first) {
			t.Fatal("the same store gave different bytes")
		}
	}
}

func TestNoStore(t *testing.T) {
	sets, warns, errs := Datasets(fstest.MapFS{"data/points.csv": {}}, "data/kiosk", "garbage-sorting")
	if sets != nil || warns != nil || errs != nil {
		t.Errorf("Datasets without data/kiosk = %v, %v, %v; want nil, nil, nil", sets, warns, errs)
	}
}

// TestNoTopic: kiosk logs without a topic from content/site.yaml are an
// error that says where to name one, not datasets in a made-up topic.
func TestNoTopic(t *testing.T) {
	sets, _, errs := Datasets(os.DirFS("../.."), "data/kiosk", "")
	want := "data/kiosk: the kiosk logs need a topic for their datasets: set kioskTopic in content/site.yaml to one of the site's topics"
	if sets != nil || errs.Error() != want {
		t.Errorf("Datasets without a topic = %d datasets, errors %q; want none and %q", len(sets), errs.Error(), want)
	}
}

// TestStoreErrors: a problem in the store reaches the build as a
// diagnostic at its own file and line.
func TestStoreErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		file string
		line int
		msg  string // the start of the message
	}{
		{"bad kiosks.yaml", func(fsys fstest.MapFS) {
			fsys["data/kiosk/kiosks.yaml"].Data = []byte("kiosks:\n  - id: K01\n    compound: 小区K01\n  - id: K01\n    compound: 玫瑰苑\n")
		}, "data/kiosk/kiosks.yaml", 4, `kiosk "K01" already listed at line 2`},
		{"no kiosks.yaml", func(fsys fstest.MapFS) {
			delete(fsys, "data/kiosk/kiosks.yaml")
		}, "data/kiosk/kiosks.yaml", 0, "file does not exist"},
		{"bad record", func(fsys fstest.MapFS) {
			f := fsys["data/kiosk/K01/e1-0000000001-0000000014.csv"]
			f.Data = bytes.Replace(f.Data, []byte(",plastic,"), []byte(",wood,"), 1)
		}, "data/kiosk/K01/e1-0000000001-0000000014.csv", 2, `column "category": `},
		{"bad pull.yaml", func(fsys fstest.MapFS) {
			fsys["data/kiosk/K01/pull.yaml"].Data = []byte("kiosk: K02\n")
		}, "data/kiosk/K01/pull.yaml", 0, `kiosk "K02" in the folder of kiosk "K01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fixture([]cell{{"K01", "2026-05", 10}})
			tt.edit(fsys)
			sets, _, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
			found := slices.ContainsFunc(errs, func(e *diag.Error) bool {
				return e.File == tt.file && e.Line == tt.line && strings.HasPrefix(e.Msg, tt.msg)
			})
			if sets != nil || !found {
				t.Errorf("Datasets = %d datasets, errors:\n%v\nwant no datasets and %s:%d: %s…", len(sets), errs.Err(), tt.file, tt.line, tt.msg)
			}
		})
	}
}

// TestPartialStore covers stores caught early: kiosks pulled with nothing
// logged yet, and a kiosk never pulled.
func TestPartialStore(t *testing.T) {
	emptyPull := func(fsys fstest.MapFS) {
		for name := range fsys {
			if strings.HasSuffix(name, ".csv") {
				delete(fsys, name)
			}
		}
	}
	tests := []struct {
		name  string
		edit  func(fstest.MapFS)
		sets  []string
		note  string // kiosk-freshness note of K02
		pulls int    // kiosks with a last_pull
	}{
		{"pulled, nothing logged", emptyPull, []string{Freshness}, "数据拉取于 2026-11-27 09:30（数据线拉取）", 2},
		// K02 never reported past May, so May stays open and K02's
		// record count would give its May deposits away.
		{"one kiosk never pulled", func(fsys fstest.MapFS) { delete(fsys, "data/kiosk/K02/pull.yaml") },
			[]string{Freshness, Households, Points, Weights}, "尚未拉取；已存记录数不公开：含尚未公布或不公开的月份，由它可推算出这些月份的投放次数", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fixture([]cell{{"K01", "2026-05", 11}, {"K02", "2026-05", 12}})
			tt.edit(fsys)
			sets, _, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
			if err := errs.Err(); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, d := range sets {
				names = append(names, d.Name)
				if _, errs := chart.FromDataset(d); errs.Err() != nil {
					t.Errorf("%s: charts: %v", d.Name, errs.Err())
				}
			}
			if !slices.Equal(names, tt.sets) {
				t.Fatalf("datasets %v, want %v", names, tt.sets)
			}
			fresh := sets[0]
			if got := fresh.Column("note").Text(1); got != tt.note {
				t.Errorf("K02 note %q, want %q", got, tt.note)
			}
			if got, err := dataset.Eval(sets, "kiosk-freshness | count where last_pull is not blank"); err != nil || got != strconv.Itoa(tt.pulls) {
				t.Errorf("kiosks pulled: %q, %v; want %d", got, err, tt.pulls)
			}
		})
	}
}

// TestFarDates checks that deposits dated far from the present keep their
// month in every download: a kiosk clock set to 2300 or 1600 must not
// publish its weights under some other month.
func TestFarDates(t *testing.T) {
	fsys := fixture([]cell{{"K01", "2300-01", 12}, {"K01", "1600-06", 11}, {"K01", "2026-05", 10}})
	sets, _, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	months := map[string]bool{}
	for _, v := range published(t, sets) {
		if len(v) >= 7 && v[4] == '-' {
			months[v[:7]] = true
		}
	}
	for _, m := range []string{"2300-01", "1600-06", "2026-05"} {
		if !months[m] {
			t.Errorf("month %s is in no download; months published: %v", m, slices.Sorted(maps.Keys(months)))
		}
	}
	for m := range months {
		if m != "2300-01" && m != "1600-06" && m != "2026-05" && m != "2026-11" {
			t.Errorf("month %s is published, but no deposit was made in it", m)
		}
	}
}

// TestOpenAndLate checks what the site shows before a month closes (统计中,
// no figure of the month at all) and after records arrive late for a
// closed month (the same household figures, a note for a kiosk listed
// after the month closed, and warnings).
func TestOpenAndLate(t *testing.T) {
	fsys := fixture([]cell{{"K01", "2026-05", 23}, {"K02", "2026-05", 7}, {"K03", "2026-05", 180}})
	sets, warns, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	// Every kiosk was pulled on 27 November: May can close, and the build
	// says so.
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), "data/kiosk: 2026-05: every listed kiosk has reported past the month's end, but the month is not closed: run `kioskpull close`") {
		t.Errorf("warnings %v, want one saying May can close", warns)
	}
	values := published(t, sets)
	for _, n := range []string{"23", "7", "180", "210", "31", "10", "240"} { // households and deposits
		if slices.Contains(values, n) {
			t.Errorf("open month: %s is published", n)
		}
	}
	if got, _ := dataset.Eval(sets, "kiosk-households | count where note = "+openNote); got != "4" {
		t.Errorf("open month: %s household rows say 统计中, want 4 (3 compounds and the total)", got)
	}
	if got, _ := dataset.Eval(sets, "kiosk-weights | count where note = "+openNote); got != "3" {
		t.Errorf("open month: %s weight rows say 统计中, want 3", got)
	}

	closeAll(t, fsys)
	closed, warns, errs := Datasets(fsys, "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil || len(warns) != 0 {
		t.Fatalf("closed: warnings %v, errors %v", warns, err)
	}
	households := func(sets []*dataset.Dataset) []string {
		var out []string
		for _, d := range sets {
			if d.Name == Households {
				for _, tab := range downloads(t, d) {
					for _, r := range tab {
						out = append(out, r["kiosk"]+"="+r["households"])
					}
				}
			}
		}
		return out
	}
	want := []string{"K01=", "K02=", "K03=180", "=210"}
	if got := households(closed); !slices.Equal(got[:4], want) {
		t.Fatalf("closed May publishes %v, want %v", got, want)
	}

	// Late: an import fills K02's hole (5 more households) and K07, listed
	// only now, brings May records of its own.
	late := fixture([]cell{{"K01", "2026-05", 23}, {"K02", "2026-05", 12}, {"K03", "2026-05", 180}, {"K07", "2026-05", 8}})
	for name, f := range fsys {
		if strings.Contains(name, "published-") {
			late[name] = f
		}
	}
	again, warns, errs := Datasets(late, "data/kiosk", "garbage-sorting")
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := households(again), []string{"K01=", "K02=", "K03=180", "K07=", "=210"}; !slices.Equal(got[:5], want) {
		t.Errorf("after late records May publishes %v, want %v", got, want)
	}
	if got, _ := dataset.Eval(again, "kiosk-households | count where note = "+lateNote); got != "1" {
		t.Errorf("%s rows with the late note, want 1 (K07)", got)
	}
	var msgs []string
	for _, w := range warns {
		msgs = append(msgs, w.Error())
	}
	if len(msgs) != 2 || !strings.Contains(msgs[0], "data/kiosk/published-2026-05.yaml: 2026-05: K02 had 10 records of the month when it closed on 2026-11-27 and has 16 now") ||
		!strings.Contains(msgs[1], "K07 had 0 records") {
		t.Errorf("warnings:\n%s\nwant K02's and K07's late records", strings.Join(msgs, "\n"))
	}
	// Households and deposits of K02 and K07, before and after.
	for _, n := range []string{"7", "10", "12", "16", "8", "11"} {
		if slices.Contains(published(t, again), n) {
			t.Errorf("after late records: %s is published", n)
		}
	}
}
