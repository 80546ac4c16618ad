package places

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"gongjian/gen/catalog"
	"gongjian/gen/dataset"
	"gongjian/gen/diag"
	"gongjian/gen/kiosklog"
)

// The residents' requests (诉求台账) a compound's page sums up: the
// dataset, and the columns it reads. The ledger is registered by village
// or community (place); should it ever carry a compound column, a page
// counts the compound's own rows instead.
const (
	RequestsSet  = "requests"
	reqCommunity = "place"    // 试点村（社区）
	reqCompound  = "compound" // 小区, when the data has one
	reqCategory  = "category"
	reqStatus    = "status"
	reqResolved  = "已解决"  // the status of a resolved request
	reqDays      = "days" // days from receipt to resolution
)

// Requests is what a compound's page shows of the residents' requests.
type Requests struct {
	Dataset *catalog.DatasetView
	// PerCompound is set when the dataset registers requests by compound:
	// the figures are the compound's own. Otherwise they are those of
	// Community, the village or community the compound is in ("" when
	// kiosks.yaml does not say, and then there are no figures).
	PerCompound     bool
	Community       string
	SampleCommunity bool
	// Collected counts the requests, Resolved those resolved.
	Collected, Resolved int
	// Rate is the share of requests resolved, Days the median days to
	// resolve one; each withheld when counted from too few requests.
	Rate, Days RequestFigure
	// Categories are the requests by category, in the dataset's order,
	// those with none left out.
	Categories []RequestCategory
	// Min is the small-count threshold: a figure counted from fewer
	// requests is withheld (kiosklog.TooFew).
	Min int
}

// RequestFigure is a figure computed from N requests.
type RequestFigure struct {
	Text   string // "91.9%", "4.5"; "" when withheld
	N      int
	TooFew bool // N is under the threshold: the figure is withheld
}

// RequestCategory counts one category's requests.
type RequestCategory struct {
	Name                string
	Collected, Resolved int
}

// community is where kiosks.yaml places a compound.
type community struct {
	Name   string
	Sample bool
}

// readCommunities reads the community of every compound from kiosks.yaml
// in the kiosk folder and checks each is a value the requests dataset is
// registered by. A kiosks.yaml that is missing or does not parse gives
// none: the data feature reports its errors.
func readCommunities(fsys fs.FS, req *catalog.DatasetView) (map[string]community, diag.List) {
	kiosks, err := kiosklog.ReadKiosks(fsys, catalog.KioskDir)
	if err != nil {
		return nil, nil
	}
	file := path.Join(catalog.KioskDir, kiosklog.KiosksFile)
	var known []string
	if req != nil && req.Column(reqCompound) == nil {
		if c := req.Column(reqCommunity); c != nil && c.Name == reqCommunity {
			known = c.Levels()
		}
	}
	var errs diag.List
	out := map[string]community{}
	for _, k := range kiosks {
		if k.Community == "" {
			continue
		}
		if known != nil && !slices.Contains(known, k.Community) {
			errs.Addf(file, k.Line, "kiosk %q: community %q is not one the requests are registered by (%s, column %s); known: %s",
				k.ID, k.Community, req.SchemaPath, reqCommunity, strings.Join(known, ", "))
			continue
		}
		if c, ok := out[k.Compound]; ok && c.Name != k.Community {
			errs.Addf(file, k.Line, "kiosk %q: compound %s is in %s at another kiosk, here in %s", k.ID, k.Compound, c.Name, k.Community)
			continue
		}
		out[k.Compound] = community{Name: k.Community, Sample: k.SampleCommunity}
	}
	return out, errs
}

// checkRequests reports the columns the requests dataset lacks for the
// compounds' pages.
func checkRequests(req *catalog.DatasetView) diag.List {
	if req == nil {
		return nil
	}
	var missing []string
	if req.Column(reqCompound) == nil && req.Column(reqCommunity) == nil {
		missing = append(missing, reqCommunity+" (or "+reqCompound+")")
	}
	for _, name := range []string{reqCategory, reqStatus, reqDays} {
		if req.Column(name) == nil {
			missing = append(missing, name)
		}
	}
	if missing == nil {
		return nil
	}
	return diag.List{diag.Errorf(req.SchemaPath, 0, "the compounds' pages sum up this dataset by columns %s; it has no %s",
		strings.Join([]string{reqCommunity, reqCategory, reqStatus, reqDays}, ", "), strings.Join(missing, ", "))}
}

// requestsOf sums up the requests of a compound named name in community
// c: its own rows when the dataset has a compound column, else those of
// its community. A dataset lacking a column the sum needs gives nil
// (checkRequests reports it).
func requestsOf(req *catalog.DatasetView, name string, c community) *Requests {
	if req == nil || checkRequests(req) != nil {
		return nil
	}
	r := &Requests{Dataset: req, Community: c.Name, SampleCommunity: c.Sample, Min: kiosklog.DefaultMinHouseholds}
	key, value := req.Column(reqCompound), name
	if key != nil {
		r.PerCompound, r.Community, r.SampleCommunity = true, "", false
	} else if key, value = req.Column(reqCommunity), c.Name; value == "" {
		return r
	}
	cat, status, days := req.Column(reqCategory), req.Column(reqStatus), req.Column(reqDays)
	byCat := map[string]*RequestCategory{}
	var spent []float64
	for i := range req.Rows {
		if key.Null(i) || key.Text(i) != value {
			continue
		}
		resolved := status.Text(i) == reqResolved
		name := cat.Text(i)
		rc := byCat[name]
		if rc == nil {
			rc = &RequestCategory{Name: name}
			byCat[name] = rc
		}
		r.Collected++
		rc.Collected++
		if resolved {
			r.Resolved++
			rc.Resolved++
			if !days.Null(i) {
				spent = append(spent, days.Float(i))
			}
		}
	}
	for _, name := range append(cat.Levels(), "") {
		if rc := byCat[name]; rc != nil {
			r.Categories = append(r.Categories, *rc)
		}
	}
	r.Rate = RequestFigure{N: r.Collected, TooFew: kiosklog.TooFew(r.Collected, r.Min)}
	if !r.Rate.TooFew {
		r.Rate.Text = dataset.FormatPercent(float64(r.Resolved) / float64(r.Collected))
	}
	r.Days = RequestFigure{N: len(spent), TooFew: kiosklog.TooFew(len(spent), r.Min)}
	if !r.Days.TooFew {
		r.Days.Text = dataset.FormatDecimal(dataset.Median(spent), 1, false)
	}
	return r
}
