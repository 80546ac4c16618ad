package sim

import (
	"bufio"
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"gongjian/kioskpull/protocol"
)

var start = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

func TestGenerateLogDeterministic(t *testing.T) {
	spec := LogSpec{Seed: 3, Records: 500, Start: start, Days: 30, Households: 50}
	a, b := GenerateLog(spec), GenerateLog(spec)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave two logs")
	}
	spec.Seed = 4
	if slices.Equal(a, GenerateLog(spec)) {
		t.Fatal("two seeds gave the same log")
	}
	cards := map[string]bool{}
	for i, r := range a {
		if r.Seq != uint64(i+1) || !r.Category.Valid() || r.Grams <= 0 || !protocol.ValidCard(r.Card) {
			t.Fatalf("record %d = %+v", i, r)
		}
		if i > 0 && r.Time < a[i-1].Time {
			t.Fatalf("record %d goes back in time", i)
		}
		if r.Time < start.Unix() || r.Time >= start.AddDate(0, 0, 30).Unix() {
			t.Fatalf("record %d outside the period", i)
		}
		cards[r.Card] = true
	}
	if len(cards) < 20 || len(cards) > 50 {
		t.Errorf("%d distinct cards from 50 households", len(cards))
	}
}

// talk sends commands to a kiosk over an in-memory pipe and returns the
// line bodies it answers until an END, ERR, HELLO or BYE.
func talk(t *testing.T, k *Kiosk, cmds ...string) [][]string {
	host, kiosk := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); host.Close(); kiosk.Close() }()
	go k.Serve(ctx, kiosk)
	br := bufio.NewReader(host)
	var out [][]string
	for _, c := range cmds {
		host.Write(protocol.AppendLine(nil, c))
		var got []string
		for {
			line, err := br.ReadBytes('\n')
			if err != nil {
				t.Fatal(err)
			}
			body, err := protocol.ParseLine(line)
			if err != nil {
				t.Fatalf("kiosk sent a bad line %q: %v", line, err)
			}
			got = append(got, body)
			if k := protocol.Kind(body); k != "R" && k != "GAP" {
				break
			}
		}
		out = append(out, got)
	}
	return out
}

func TestKioskAnswers(t *testing.T) {
	k := New(Config{Kiosk: "K01", Epoch: 4, RingFirst: 11, RecordsPerLine: 3, Log: LogSpec{Seed: 1, Records: 20, Start: start, Days: 2}})
	got := talk(t, k, "HELLO 1", "DUMP 4 1 5", "DUMP 4 16 100", "DUMP 3 1 5", "HELLO 2", "FROB", "DUMP 4 21 5")
	if h, err := protocol.ParseHello(got[0][0]); err != nil || h.First != 11 || h.Last != 20 || h.Epoch != 4 {
		t.Errorf("HELLO answer %q (%v)", got[0], err)
	}
	if got[1][0] != "GAP 1 10" || len(got[1]) != 4 { // GAP, 5 records on 2 lines, END
		t.Errorf("DUMP 4 1 5 answered %q", got[1])
	}
	if e, _ := protocol.ParseEnd(got[1][3]); e.Count != 5 || e.Last != 15 {
		t.Errorf("END %q", got[1][3])
	}
	if e, _ := protocol.ParseEnd(got[2][len(got[2])-1]); e.Count != 5 || e.Last != 20 {
		t.Errorf("DUMP 4 16 100 ended %q", got[2])
	}
	for i, want := range []string{"ERR EPOCH 4", "ERR VERSION", "ERR SYNTAX", "END 0 20 00000000"} {
		if g := got[3+i][0]; g != want && protocol.Kind(g)+" "+protocol.Kind(g[4:]) != want {
			t.Errorf("answer %d = %q, want %q", 3+i, g, want)
		}
	}
}

func TestReset(t *testing.T) {
	k := New(Config{Kiosk: "K01", Log: LogSpec{Seed: 1, Records: 20, Start: start, Days: 2}})
	last := k.Records()[19].Time
	k.Reset(5)
	h := k.Hello()
	if h.Epoch != 2 || h.First != 1 || h.Last != 5 || k.Records()[0].Time <= last {
		t.Errorf("after Reset: %+v, first time %d (old last %d)", h, k.Records()[0].Time, last)
	}
}
