package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"gongjian/gen/dataset"
)

const schema = `title: 回收机投放记录（基准测试）
source: databench
licence: CC0
updated: 2026-03-31
topic: garbage-sorting
sample: true
columns:
  - {name: seq, type: int}
  - {name: time, type: datetime}
  - {name: card, type: string}
  - {name: category, type: category}
  - {name: grams, type: int}
  - {name: points, type: int}
`

func main() {
	rows := flag.Int("rows", 1_000_000, "rows to generate")
	runs := flag.Int("runs", 3, "timed runs of each pass; the fastest counts")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `file`")
	flag.Parse()
	if err := profiled(*cpuprofile, func() error { return run(os.Stdout, *rows, *runs) }); err != nil {
		fmt.Fprintln(os.Stderr, "databench:", err)
		os.Exit(1)
	}
}

// profiled runs f, under the CPU profiler when file is set.
func profiled(file string, f func() error) error {
	if file == "" {
		return f()
	}
	out, err := os.Create(file)
	if err != nil {
		return err
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return f()
}

func run(w io.Writer, rows, runs int) error {
	data := generate(rows)
	mb := float64(len(data)) / 1e6
	fmt.Fprintf(w, "kiosk-style CSV: %d rows, %.1f MB, GOMAXPROCS=%d\n", rows, mb, runtime.GOMAXPROCS(0))

	bare := fastest(runs, func() error {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			n++
		}
		if n != rows+1 {
			return fmt.Errorf("bare pass read %d records, want %d", n, rows+1)
		}
		return nil
	})
	typed := fastest(runs, func() error {
		d, errs := dataset.ParseSchema("data/bench.yaml", "bench", []byte(schema))
		if err := errs.Err(); err != nil {
			return err
		}
		if err := d.ParseCSV(data).Err(); err != nil {
			return err
		}
		if d.Rows != rows {
			return fmt.Errorf("typed load read %d rows, want %d", d.Rows, rows)
		}
		return nil
	})
	if bare.err != nil {
		return bare.err
	}
	if typed.err != nil {
		return typed.err
	}
	fmt.Fprintf(w, "bare encoding/csv: %7.1f MB/s  (%v)\n", mb/bare.d.Seconds(), bare.d.Round(time.Millisecond))
	fmt.Fprintf(w, "typed dataset load: %7.1f MB/s  (%v)\n", mb/typed.d.Seconds(), typed.d.Round(time.Millisecond))
	ratio := typed.d.Seconds() / bare.d.Seconds()
	verdict := "within"
	if ratio > 2 {
		verdict = "OVER"
	}
	fmt.Fprintf(w, "typed / bare time: %.2f× (target ≤ 2×: %s)\n", ratio, verdict)
	return nil
}

type timing struct {
	d   time.Duration
	err error
}

func fastest(runs int, f func() error) timing {
	best := timing{d: time.Duration(1<<63 - 1)}
	for range max(runs, 1) {
		runtime.GC()
		start := time.Now()
		if err := f(); err != nil {
			return timing{err: err}
		}
		best.d = min(best.d, time.Since(start))
	}
	return best
}

// generate writes rows of deposits as a kiosk would log them: a sequence
// number, an RFC 3339 time, a pseudonymous card, a category, grams and points.
func generate(rows int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	cats := []string{"塑料", "纸张", "金属", "玻璃", "电池"}
	var b bytes.Buffer
	b.Grow(rows * 70)
	b.WriteString("seq,time,card,category,grams,points\n")
	t := time.Date(2026, 1, 1, 7, 0, 0, 0, dataset.Zone)
	var buf []byte
	for i := range rows {
		t = t.Add(time.Duration(rng.IntN(60)+1) * time.Second)
		grams := rng.IntN(5000) + 20
		buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
		buf = append(buf, ',')
		buf = t.AppendFormat(buf, time.RFC3339)
		buf = append(buf, ",c-"...)
		buf = strconv.AppendUint(buf, rng.Uint64()>>16, 16)
		buf = append(buf, ',')
		buf = append(buf, cats[rng.IntN(len(cats))]...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(grams), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(grams/100), 10)
		buf = append(buf, '\n')
		b.Write(buf)
	}
	return b.Bytes()
}
