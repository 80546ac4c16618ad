package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/protocol"
)

// LogSpec describes a generated deposit log.
type LogSpec struct {
	Seed       uint64
	Records    int       // how many deposits
	Start      time.Time // first possible deposit
	Days       int       // deposits are spread over this many days
	Households int       // distinct points cards using the kiosk
	FirstSeq   uint64    // sequence number of the first record (default 1)
}

// Points credited per kilogram, by category (sample rates).
var pointsPerKG = map[kiosklog.Category]float64{
	kiosklog.Plastic: 20, kiosklog.Paper: 10, kiosklog.Metal: 30, kiosklog.Glass: 5, kiosklog.Battery: 100,
}

// GenerateLog returns a deterministic deposit log: deposits grow over the
// period (the campaign spreads), fall mostly in daytime, and come from a
// few keen households and many occasional ones.
func GenerateLog(spec LogSpec) []protocol.Record {
	if spec.Days <= 0 {
		spec.Days = 1
	}
	if spec.Households <= 0 {
		spec.Households = 200
	}
	if spec.FirstSeq == 0 {
		spec.FirstSeq = 1
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x6b696f736b))
	cards := make([]string, spec.Households)
	for i := range cards {
		cards[i] = fmt.Sprintf("8642%012d", rng.Uint64N(1e12))
	}
	times := make([]int64, spec.Records)
	span := float64(spec.Days * 24 * 3600)
	start := spec.Start.Unix()
	for i := range times {
		for {
			// Density rising linearly over the period.
			t := start + int64(span*math.Sqrt(rng.Float64()))
			hour := time.Unix(t, 0).In(kiosklog.Location).Hour()
			if hour >= 6 && hour < 21 || rng.IntN(20) == 0 {
				times[i] = t
				break
			}
		}
	}
	slices.Sort(times)
	recs := make([]protocol.Record, spec.Records)
	for i := range recs {
		cat := pickCategory(rng)
		grams := gramsFor(rng, cat)
		recs[i] = protocol.Record{
			Seq:      spec.FirstSeq + uint64(i),
			Time:     times[i],
			Card:     cards[int(float64(spec.Households)*math.Pow(rng.Float64(), 2))],
			Category: cat,
			Grams:    grams,
			Points:   int(float64(grams) * pointsPerKG[cat] / 1000),
		}
	}
	return recs
}

func pickCategory(rng *rand.Rand) kiosklog.Category {
	switch u := rng.IntN(100); {
	case u < 38:
		return kiosklog.Paper
	case u < 70:
		return kiosklog.Plastic
	case u < 85:
		return kiosklog.Glass
	case u < 96:
		return kiosklog.Metal
	default:
		return kiosklog.Battery
	}
}

func gramsFor(rng *rand.Rand, c kiosklog.Category) int {
	median := map[kiosklog.Category]float64{
		kiosklog.Paper: 1800, kiosklog.Plastic: 450, kiosklog.Glass: 1200, kiosklog.Metal: 350, kiosklog.Battery: 60,
	}[c]
	g := int(median * math.Exp(rng.NormFloat64()*0.6))
	return max(g, 5)
}
