package kiosklog

import (
	"bytes"
	"testing"
)

func benchRecords(n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = sample(uint64(i + 1))
	}
	return recs
}

// BenchmarkWriteCSV writes a batch of 1000 records, as a pull commits them.
func BenchmarkWriteCSV(b *testing.B) {
	recs := benchRecords(1000)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// BenchmarkReadCSV reads a batch file of 1000 records back.
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, benchRecords(1000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(data), "b.csv"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/record")
}
