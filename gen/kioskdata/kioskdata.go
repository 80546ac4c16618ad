package kioskdata

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kiosklog"
)

// Names of the datasets Datasets derives.
const (
	Weights    = "kiosk-weights"    // compound × month × category: weight, points, deposits
	Points     = "kiosk-points"     // compound × month: points, deposits
	Households = "kiosk-households" // compound × month and month totals: households taking part
	Freshness  = "kiosk-freshness"  // one row per kiosk: when its data was last pulled
)

// A Headline is a figure the home page can quote: a dataset.Eval
// expression over the kiosk datasets, with what it counts and its unit.
type Headline struct {
	Label string
	Expr  string
	Unit  string
}

// Headlines are figures that always evaluate on the kiosk datasets. Totals
// of weight and points leave out compound-months whose figures are hidden;
// household counts must never be summed (a household counts once per month
// however often it comes, and hidden cells would be added back), so the
// household headline is a maximum of the published month totals.
var Headlines = []Headline{
	{"智能回收亭累计回收可回收物", Weights + " | sum weight", "千克"},
	{"智能回收亭累计发放积分", Points + " | sum points", "分"},
	{"单月参与投放户数最多达", Households + " | max households where scope = 合计", "户"},
	{"回收亭数据拉取于", Freshness + " | max last_pull", ""},
}

// Source is the source line of every kiosk dataset.
const Source = "各试点小区智能分类回收亭的称重记录（卡号已做不可逆化名处理）"

const licence = "CC BY 4.0"

// allCompounds names the month-total rows of kiosk-households.
const allCompounds = "全部试点小区"

// hiddenNote marks every figure left out for privacy. Primary and
// secondary suppression get the same words: telling them apart would say
// which hidden count is the small one.
var hiddenNote = fmt.Sprintf("不公开：参与户数少于%d户，或为防止推算其他不公开的户数而隐藏", kiosklog.DefaultMinHouseholds)

// openNote marks the figures of a month that has not closed yet.
const openNote = "统计中：本月尚未结账（还有回收亭未报送本月月底以后的数据），结账后公布"

// Open reports whether note, the note column of a row of a kiosk
// dataset, marks figures of a month that has not closed yet (统计中), as
// opposed to figures withheld for good (不公开).
func Open(note string) bool { return note == openNote }

// lateNote marks a compound-month whose records arrived after its month
// closed: the month's household figures stay as they were published.
const lateNote = "不公开：本月结账后才收到该小区的记录，本月户数按结账时的数字公布，不再改动"

// noteFor is the note of a household cell that is not shown.
func noteFor(why kiosklog.Suppression) string {
	switch why {
	case kiosklog.Open:
		return openNote
	case kiosklog.Late:
		return lateNote
	}
	return hiddenNote
}

// Datasets loads the kiosk store in dir of fsys (normally "data/kiosk"),
// aggregates it with kiosklog.Aggregate and returns the kiosk datasets in
// name order: kiosk-freshness, kiosk-households, kiosk-points and
// kiosk-weights, each in topic (the site's kioskTopic), with warnings about the publication ledger (records that
// arrived after their month closed, months ready to close but not closed). Each is made in memory with
// dataset.New, so schema checks, charts and downloads work as for a file in
// data/; its SchemaPath is dir/NAME.yaml and its Path dir/NAME.csv, files
// that do not exist. When dir does not exist it returns nil,
// nil; a store with errors gives the errors (file:line) and no datasets.
//
// Privacy: household counts are published as kiosklog.Aggregate gives them:
// for closed months exactly as the publication ledger froze them (fewer
// than 10 households hidden, plus secondary suppression), for open months
// not at all (统计中), each hidden count as a blank cell with a note. So no
// two builds ever publish different household figures for a month, and
// differencing builds reveals nothing. Every figure of a compound-month
// whose household count is not shown is hidden too: its
// deposit count is an upper bound on its households, and its weights and
// points describe a handful of households. Totals are never computed here
// from hidden cells (charts and Eval add up the published rows only), and
// a kiosk's stored-record count is left blank when any of its months is
// hidden, since subtracting its published deposits would give the hidden
// ones.
func Datasets(fsys fs.FS, dir, topic string) (sets []*dataset.Dataset, warnings, errs diag.List) {
	if _, err := fs.Stat(fsys, dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if topic == "" {
		errs.Addf(dir, 0, "the kiosk logs need a topic for their datasets: set kioskTopic in content/site.yaml to one of the site's topics")
		return nil, nil, errs
	}
	log, err := kiosklog.Load(fsys, dir)
	if err != nil {
		return nil, nil, loadErrors(dir, err)
	}
	for _, t := range tables(log, topic) {
		d, derrs := t.parse(dir)
		errs.Merge(derrs)
		if d != nil && len(derrs) == 0 {
			sets = append(sets, d)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return sets, ledgerWarnings(dir, log), nil
}

// ledgerWarnings tells staff about records that came after their month
// closed (published figures stay as they are) and about months that could
// close but have not (their figures stay 统计中 until they do).
func ledgerWarnings(dir string, log *kiosklog.Log) diag.List {
	var warns diag.List
	for _, l := range kiosklog.LateSince(log) {
		warns.Addf(path.Join(dir, kiosklog.PublishedFileName(l.Month)), 0,
			"%s: %s had %d records of the month when it closed on %s and has %d now; the site keeps publishing the household figures as closed",
			l.Month, l.Kiosk, l.Closed, l.ClosedAt.Format("2006-01-02"), l.Now)
	}
	for _, x := range kiosklog.Mismatched(log) {
		what := "the month total"
		if x.Kiosk != "" {
			what = x.Kiosk + "'s household figure"
		}
		warns.Addf(path.Join(dir, kiosklog.PublishedFileName(x.Month)), 0,
			"%s: %s differs from what the stored records give, though no record came after the month closed: was the file edited? The site publishes the file as it is", x.Month, what)
	}
	for _, m := range kiosklog.Closable(log) {
		warns.Addf(dir, 0, "%s: every listed kiosk has reported past the month's end, but the month is not closed: run `kioskpull close` to publish its household figures", m)
	}
	return warns
}

// A table is one dataset before dataset.New checks it: its schema and rows.
type table struct {
	name   string
	schema dataset.Schema
	rows   [][]string // in the order of schema.Columns
}

// chartsIfAny drops the charts when column col is blank in every row: a
// store whose every compound-month is hidden has nothing to draw, and a
// chart of nothing fails to build.
func (t *table) chartsIfAny(col int) {
	if !slices.ContainsFunc(t.rows, func(r []string) bool { return r[col] != "" }) {
		t.schema.Charts = nil
	}
}

// parse makes the dataset in memory, checked by package dataset as a
// data/NAME.csv with its schema would be.
func (t *table) parse(dir string) (*dataset.Dataset, diag.List) {
	return dataset.New(path.Join(dir, t.name+".yaml"), t.name, t.schema, t.rows)
}

// store is what the tables are built from: the aggregates and facts about
// the store as a whole.
type store struct {
	agg       kiosklog.Aggregates
	pulls     map[string]kiosklog.Pull
	hidden    map[kioskMonth]string // compound-months whose figures are withheld, with the note saying why
	compounds []string              // compound names in kiosk order, without repeats
	updated   time.Time             // newest pull (or, without pulls, newest record)
	simulated bool                  // a kiosk's firmware is the simulator's
	topic     string                // the site's topic for kiosk data (kioskTopic in content/site.yaml)
}

type kioskMonth struct{ kiosk, month string }

// tables derives the four tables from a loaded store, in name order. A
// store with neither records nor pulls gives none: there is nothing to date
// them by, and nothing to show.
func tables(log *kiosklog.Log, topic string) []*table {
	s := &store{
		topic:  topic,
		agg:    kiosklog.Aggregate(log.Records, kiosklog.Options{Kiosks: log.Kiosks, Pulls: log.Pulls, Published: log.Published}),
		pulls:  map[string]kiosklog.Pull{},
		hidden: map[kioskMonth]string{},
	}
	for _, p := range log.Pulls {
		s.pulls[p.Kiosk] = p
		if p.LastPull.After(s.updated) {
			s.updated = p.LastPull
		}
		if strings.HasPrefix(p.Firmware, "sim") {
			s.simulated = true
		}
	}
	if s.updated.IsZero() {
		for _, f := range s.agg.Freshness {
			if f.LastRecord.After(s.updated) {
				s.updated = f.LastRecord
			}
		}
	}
	if s.updated.IsZero() {
		return nil
	}
	seen := map[string]bool{}
	for _, c := range s.agg.Compounds {
		if !seen[c.Name] {
			seen[c.Name] = true
			s.compounds = append(s.compounds, c.Name)
		}
	}
	for _, h := range s.agg.Households {
		if !h.Shown {
			s.hidden[kioskMonth{h.Kiosk, h.Month}] = noteFor(h.Suppressed)
		}
	}
	if len(log.Records) == 0 {
		return []*table{s.freshness()}
	}
	return []*table{s.freshness(), s.households(), s.points(), s.weights()}
}

// sample reports whether the figures are not real ones: the log comes from
// the simulator, or a compound name is invented.
func (s *store) sample() bool {
	if s.simulated {
		return true
	}
	for _, c := range s.agg.Compounds {
		if c.SampleName {
			return true
		}
	}
	return false
}

// rules says how the figures are made and which are withheld. It is
// written once, in the description of the households dataset, whose
// counts the rules protect; the other datasets point to it (seeRules).
func (s *store) rules() string {
	return fmt.Sprintf("数字由回收亭称重记录在生成网站时汇总而来，只含汇总数字，不含任何单条记录、卡号化名或单户数字；"+
		"参与户数少于%d户（或为防止推算而隐藏户数）的小区月份，其全部数字均不公开，表中留空并注明。"+
		"每月的数字在该月结账后才公布：各回收亭都报送了月底以后的数据（或工作人员确认结账）时，该月各小区的参与户数即固定下来，"+
		"以后每次更新网站都公布同样的户数，事后补收的记录也不再改动（回收重量和积分会随之更新），"+
		"这样把前后两次公布的数字相减也推算不出不公开的户数；尚未结账的月份注明“统计中”，暂不公布该月任何数字。", kiosklog.DefaultMinHouseholds)
}

// seeRules ends the descriptions of the weights and points datasets.
const seeRules = "哪些数字不公开、每月何时公布，见“" + householdsTitle + "”数据集的说明。"

const householdsTitle = "智能回收亭每月参与投放户数"

// about is the end of every description: what is sample data and which
// names are invented.
func (s *store) about() string {
	var b strings.Builder
	if s.simulated {
		b.WriteString("示例数据：本站附带的回收亭记录由模拟回收亭生成，并非真实投放数据。")
	}
	var names []string
	for _, c := range s.agg.Compounds {
		if c.SampleName {
			names = append(names, c.Name)
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "%s为示例名称，不是真实的小区名称。", strings.Join(names, "、"))
	}
	return b.String()
}

func (s *store) schema(title, description string) dataset.Schema {
	y, m, d := s.updated.In(kiosklog.Location).Date()
	return dataset.Schema{
		Title:       title,
		Description: description + s.about(),
		Source:      Source,
		Licence:     licence,
		Updated:     time.Date(y, m, d, 0, 0, 0, 0, dataset.Zone),
		Topic:       s.topic,
		Sample:      s.sample(),
		Frequency:   dataset.Monthly, // each month is published once it closes
	}
}

// Columns shared by several tables.
var (
	monthColumn = dataset.ColumnSpec{Name: "month", Type: dataset.Month, Label: "月份"}
	kioskColumn = dataset.ColumnSpec{Name: "kiosk", Type: dataset.String, Label: "回收亭编号"}
	noteColumn  = dataset.ColumnSpec{Name: "note", Type: dataset.String, Label: "说明"}
)

func (s *store) compoundColumn(extra ...string) dataset.ColumnSpec {
	return dataset.ColumnSpec{Name: "compound", Type: dataset.Category, Label: "小区", Levels: append(append([]string(nil), s.compounds...), extra...)}
}

func kg(grams int64) string {
	return strconv.FormatFloat(float64(grams)/1000, 'f', 1, 64)
}

func itoa[T int | int64 | uint64](n T) string { return strconv.FormatInt(int64(n), 10) }

// weights is compound × month × category.
func (s *store) weights() *table {
	cats := make([]string, len(kiosklog.Categories))
	for i, c := range kiosklog.Categories {
		cats[i] = c.Chinese()
	}
	t := &table{name: Weights, schema: s.schema("智能回收亭分小区分品类回收重量",
		fmt.Sprintf("%d个智慧分类试点小区的智能分类回收亭，按小区、月份和品类（塑料、纸张、金属、玻璃、电池）统计的回收重量、发放积分和投放次数。", len(s.agg.Compounds))+seeRules)}
	t.schema.Columns = []dataset.ColumnSpec{
		monthColumn,
		s.compoundColumn(),
		kioskColumn,
		{Name: "category", Type: dataset.Category, Label: "品类", Levels: cats},
		{Name: "weight", Type: dataset.Float, Unit: "千克", Label: "回收重量", Decimals: ptr(1)},
		{Name: "points", Type: dataset.Int, Unit: "分", Label: "发放积分"},
		{Name: "deposits", Type: dataset.Int, Unit: "次", Label: "投放次数"},
		noteColumn,
	}
	t.schema.Charts = []dataset.ChartSpec{
		{Kind: "stacked-bar", Title: "各月分品类回收重量（全部试点小区）", X: "month", Y: []string{"weight"}, Series: "category"},
		{Kind: "line", Title: "各小区每月回收重量", X: "month", Y: []string{"weight"}, Series: "compound"},
		{Kind: "donut", Title: "各品类回收重量占比", X: "category", Y: []string{"weight"}},
	}
	for _, m := range s.agg.Months {
		for _, c := range s.agg.Compounds {
			if note, ok := s.hidden[kioskMonth{c.Kiosk, m}]; ok {
				t.rows = append(t.rows, []string{m, c.Name, c.Kiosk, "", "", "", "", note})
				continue
			}
			for _, w := range s.agg.Weights {
				if w.Kiosk == c.Kiosk && w.Month == m {
					t.rows = append(t.rows, []string{m, c.Name, c.Kiosk, w.Category.Chinese(), kg(w.Grams), itoa(w.Points), itoa(w.Deposits), ""})
				}
			}
		}
	}
	t.chartsIfAny(4)
	return t
}

// points is compound × month, the weights table summed over categories.
func (s *store) points() *table {
	t := &table{name: Points, schema: s.schema("智能回收亭每月发放积分",
		fmt.Sprintf("%d个智慧分类试点小区的智能分类回收亭每月按投放重量折算、记入居民积分卡的积分，分小区统计；每月合计为各小区公开数字之和。", len(s.agg.Compounds))+seeRules)}
	t.schema.Columns = []dataset.ColumnSpec{
		monthColumn,
		s.compoundColumn(),
		kioskColumn,
		{Name: "points", Type: dataset.Int, Unit: "分", Label: "发放积分"},
		{Name: "deposits", Type: dataset.Int, Unit: "次", Label: "投放次数"},
		noteColumn,
	}
	t.schema.Charts = []dataset.ChartSpec{
		{Kind: "line", Title: "回收亭每月发放积分（全部试点小区）", X: "month", Y: []string{"points"}},
		{Kind: "stacked-bar", Title: "各小区每月发放积分", X: "month", Y: []string{"points"}, Series: "compound"},
		{Kind: "number", Title: "回收亭累计发放积分", Value: "sum points", Unit: "分", Note: "各试点小区公开数字合计"},
	}
	type sum struct {
		points   int64
		deposits int
		any      bool
	}
	sums := map[kioskMonth]*sum{}
	for _, w := range s.agg.Weights {
		k := kioskMonth{w.Kiosk, w.Month}
		if sums[k] == nil {
			sums[k] = &sum{}
		}
		sums[k].points += w.Points
		sums[k].deposits += w.Deposits
		sums[k].any = true
	}
	for _, m := range s.agg.Months {
		for _, c := range s.agg.Compounds {
			k := kioskMonth{c.Kiosk, m}
			if note, ok := s.hidden[k]; ok {
				t.rows = append(t.rows, []string{m, c.Name, c.Kiosk, "", "", note})
				continue
			}
			if sums[k] != nil {
				t.rows = append(t.rows, []string{m, c.Name, c.Kiosk, itoa(sums[k].points), itoa(sums[k].deposits), ""})
			}
		}
	}
	t.chartsIfAny(3)
	return t
}

// households is compound × month, each month followed by its total over
// all compounds, exactly as kiosklog.Aggregate publishes them.
func (s *store) households() *table {
	t := &table{name: Households, schema: s.schema(householdsTitle,
		fmt.Sprintf("每月在智能分类回收亭投放过可回收物的户数（按积分卡计，同一户一个月内多次投放只计一次），分小区统计，并列出%d个试点小区的每月合计（在多个小区投放的同一户只计一次，所以合计不等于各小区之和，各月户数也不能相加）。", len(s.agg.Compounds))+s.rules())}
	t.schema.Columns = []dataset.ColumnSpec{
		monthColumn,
		{Name: "scope", Type: dataset.Category, Label: "范围", Levels: []string{"小区", "合计"}},
		s.compoundColumn(allCompounds),
		kioskColumn,
		{Name: "households", Type: dataset.Int, Unit: "户", Label: "参与户数"},
		noteColumn,
	}
	t.schema.Charts = []dataset.ChartSpec{
		{Kind: "bar", Title: "每月参与投放户数（全部试点小区）", X: "month", Y: []string{"households"}, Filter: "scope = 合计"},
		{Kind: "line", Title: "各小区每月参与投放户数", X: "month", Y: []string{"households"}, Series: "compound", Filter: "scope = 小区"},
	}
	cell := func(h kiosklog.HouseholdCell) (count, note string) {
		if !h.Shown {
			return "", noteFor(h.Suppressed)
		}
		return itoa(h.Count), ""
	}
	totals := map[string]kiosklog.HouseholdCell{}
	for _, h := range s.agg.MonthTotals {
		totals[h.Month] = h
	}
	for _, m := range s.agg.Months {
		for _, h := range s.agg.Households {
			if h.Month == m {
				n, note := cell(h)
				t.rows = append(t.rows, []string{m, "小区", h.Compound, h.Kiosk, n, note})
			}
		}
		if h, ok := totals[m]; ok {
			n, note := cell(h)
			t.rows = append(t.rows, []string{m, "合计", allCompounds, "", n, note})
		}
	}
	// A chart with nothing but blanks to draw is left out.
	var charts []dataset.ChartSpec
	for _, c := range t.schema.Charts {
		scope := strings.TrimPrefix(c.Filter, "scope = ")
		if slices.ContainsFunc(t.rows, func(r []string) bool { return r[1] == scope && r[4] != "" }) {
			charts = append(charts, c)
		}
	}
	t.schema.Charts = charts
	return t
}

// freshness is one row per kiosk: "数据拉取于 …".
func (s *store) freshness() *table {
	t := &table{name: Freshness, schema: s.schema("智能回收亭数据拉取情况",
		"每台智能分类回收亭的数据最近一次拉取（数据线拉取或U盘导入）的时间、最新一条记录的时间、已存记录数，以及回收亭在拉取前已覆盖、无法找回的记录数，用来判断各小区数字是否为最新、是否完整。")}
	t.schema.Columns = []dataset.ColumnSpec{
		kioskColumn,
		s.compoundColumn(),
		{Name: "sample_name", Type: dataset.Category, Label: "小区名称为示例", Levels: []string{"是", "否"}},
		{Name: "last_pull", Type: dataset.DateTime, Label: "数据拉取于"},
		{Name: "source", Type: dataset.Category, Label: "拉取方式"},
		{Name: "last_record", Type: dataset.DateTime, Label: "最新记录时间"},
		{Name: "records", Type: dataset.Int, Unit: "条", Label: "已存记录数"},
		{Name: "lost", Type: dataset.Int, Unit: "条", Label: "无法找回的记录"},
		{Name: "complete", Type: dataset.Category, Label: "最近一次拉取完整", Levels: []string{"是", "否"}},
		noteColumn,
	}
	if len(s.pulls) > 0 {
		t.schema.Charts = []dataset.ChartSpec{{Kind: "number", Title: "回收亭数据拉取于", Value: "max last_pull", Note: "各回收亭中最近的一次拉取"}}
	}
	hiddenKiosk := map[string]bool{}
	for k := range s.hidden {
		hiddenKiosk[k.kiosk] = true
	}
	sampleName := map[string]bool{}
	for _, c := range s.agg.Compounds {
		sampleName[c.Kiosk] = c.SampleName
	}
	yes := map[bool]string{true: "是", false: "否"}
	for _, f := range s.agg.Freshness {
		var notes []string
		lastPull, source, complete := "", "", ""
		if _, ok := s.pulls[f.Kiosk]; ok {
			lastPull = stamp(f.LastPull)
			source = sourceName(f.Source)
			complete = yes[f.Complete]
			notes = append(notes, fmt.Sprintf("数据拉取于 %s（%s）", f.LastPull.In(kiosklog.Location).Format("2006-01-02 15:04"), source))
			if !f.Complete {
				notes = append(notes, "最近一次拉取未确认取完，回收亭上可能还有未取回的记录")
			}
			if f.Lost > 0 {
				notes = append(notes, fmt.Sprintf("回收亭在拉取前已覆盖%d条记录，无法找回", f.Lost))
			}
		} else {
			notes = append(notes, "尚未拉取")
		}
		lastRecord := ""
		if !f.LastRecord.IsZero() {
			lastRecord = stamp(f.LastRecord.Truncate(time.Minute))
		}
		records := itoa(f.Records)
		if hiddenKiosk[f.Kiosk] {
			records = ""
			notes = append(notes, "已存记录数不公开：含尚未公布或不公开的月份，由它可推算出这些月份的投放次数")
		}
		t.rows = append(t.rows, []string{f.Kiosk, f.Compound, yes[sampleName[f.Kiosk]], lastPull, source, lastRecord, records, itoa(f.Lost), complete, strings.Join(notes, "；")})
	}
	return t
}

func stamp(t time.Time) string { return t.In(kiosklog.Location).Format(time.RFC3339) }

func sourceName(s string) string {
	switch s {
	case "pull":
		return "数据线拉取"
	case "import":
		return "U盘导入"
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// loadErrors is the error of kiosklog.Load as diagnostics: the diag.List
// it is, or, for any other error, one problem of the store folder.
func loadErrors(dir string, err error) diag.List {
	var list diag.List
	if errors.As(err, &list) {
		return list
	}
	return diag.List{diag.At(dir, 0, err)}
}
