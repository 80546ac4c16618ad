package protocol

import (
	"errors"
	"os"
	"strings"
	"testing"

	"gongjian/gen/kiosklog"
)

func TestAppendLine(t *testing.T) {
	// CRC-32 (IEEE) of "HELLO 1" is a known value any vendor can check.
	got := string(AppendLine(nil, "HELLO 1"))
	want := "HELLO 1*" + string(appendHex8(nil, Checksum([]byte("HELLO 1")))) + "\n"
	if got != want {
		t.Errorf("AppendLine(%q) = %q, want %q", "HELLO 1", got, want)
	}
	if got := string(AppendLine(nil, "123456789")); got != "123456789*cbf43926\n" {
		t.Errorf("AppendLine(check string) = %q, want the CRC-32 check value cbf43926", got)
	}
}

func TestParseLine(t *testing.T) {
	good := string(AppendLine(nil, "END 3 42 0badcafe"))
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{good, "END 3 42 0badcafe", nil},
		{strings.TrimSuffix(good, "\n"), "END 3 42 0badcafe", nil},
		{strings.TrimSuffix(good, "\n") + "\r\n", "END 3 42 0badcafe", nil},
		{strings.ToUpper(good[:len(good)-9]) + strings.ToUpper(good[len(good)-9:]), "", ErrCRC}, // body changed
		{"123456789*CBF43926\n", "123456789", nil},                                              // upper-case hex accepted
		{"123456789*cbf43927\n", "", ErrCRC},
		{"123456780*cbf43926\n", "", ErrCRC},
		{"123456789cbf43926\n", "", ErrFormat},
		{"*cbf4392\n", "", ErrFormat},
		{"\n", "", ErrFormat},
		{"", "", ErrFormat},
		{"12345678*cbf4392g\n", "", ErrFormat},
		{"a*b*" + string(appendHex8(nil, Checksum([]byte("a*b")))) + "\n", "", ErrFormat},
		{"caf\xe9*" + string(appendHex8(nil, Checksum([]byte("caf\xe9")))) + "\n", "", ErrFormat},
		{strings.Repeat("x", MaxLine) + "*00000000\n", "", ErrFormat},
	}
	for _, tt := range tests {
		got, err := ParseLine([]byte(tt.in))
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseLine(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMessagesRoundTrip(t *testing.T) {
	h := Hello{Version: 1, Kiosk: "K07", Firmware: "2.3.1", Epoch: 4, First: 101, Last: 5000}
	if got, err := ParseHello(h.Body()); err != nil || got != h {
		t.Errorf("ParseHello(%q) = %+v, %v", h.Body(), got, err)
	}
	d := Dump{Epoch: 4, From: 101, Max: 1000}
	if got, err := ParseDump(d.Body()); err != nil || got != d {
		t.Errorf("ParseDump(%q) = %+v, %v", d.Body(), got, err)
	}
	g := Gap{From: 1, To: 100}
	if got, err := ParseGap(g.Body()); err != nil || got != g {
		t.Errorf("ParseGap(%q) = %+v, %v", g.Body(), got, err)
	}
	for _, e := range []End{{3, 42, 0x0badcafe}, {0, 0, 0}, {0, 100, 0}} {
		if got, err := ParseEnd(e.Body()); err != nil || got != e {
			t.Errorf("ParseEnd(%q) = %+v, %v", e.Body(), got, err)
		}
	}
	ee := Err{Code: CodeEpoch, Message: "5"}
	if got, err := ParseErr(ee.Body()); err != nil || *got != ee {
		t.Errorf("ParseErr(%q) = %+v, %v", ee.Body(), got, err)
	}
	r := Record{Seq: 17, Time: 1767225600, Card: "8642000012345678", Category: kiosklog.Glass, Grams: 1200, Points: 6}
	text := string(AppendRecord(nil, r))
	if text != "17,1767225600,8642000012345678,GL,1200,6" {
		t.Errorf("AppendRecord = %q", text)
	}
	if got, err := ParseRecord(text); err != nil || got != r {
		t.Errorf("ParseRecord(%q) = %+v, %v", text, got, err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		parse func(string) error
		in    string
	}{
		{helloErr, "HELLO 1 K01 fw 1 2"},                       // too few fields
		{helloErr, "HELLO 1 K/1 fw 1 1 2"},                     // bad kiosk id
		{helloErr, "HELLO 1 K01 fw 1 5 2"},                     // first > last+1
		{helloErr, "HELLO 1 K01 fw 1 0 2"},                     // first 0
		{helloErr, "HELLO 1 K01 fw 01 1 2"},                    // non-canonical number
		{helloErr, "HELLO 1 K01 fw 99999999999 1 2"},           // epoch > 32 bits
		{dumpErr, "DUMP 1 0 10"},                               // from 0
		{dumpErr, "DUMP 1 1 0"},                                // max 0
		{dumpErr, "DUMP 1 1 100001"},                           // max too big
		{dumpErr, "DUMP 1 1"},                                  // missing field
		{dumpErr, "DUMP 1 -1 10"},                              // sign
		{gapErr, "GAP 5 4"},                                    // not a range
		{endErr, "END 1 2 abc"},                                // short checksum
		{endErr, "END x 2 00000000"},                           // count
		{errErr, "ERR"},                                        // no code
		{recErr, "1,2,3,PL,4"},                                 // five fields
		{recErr, "1,2,card-1,PL,4,5"},                          // bad card
		{recErr, "1,2,1234,XX,4,5"},                            // bad category
		{recErr, "1,2,1234,plastic,4,5"},                       // long name not on the link
		{recErr, "0,2,1234,PL,4,5"},                            // seq 0
		{recErr, "1,2,1234,PL,,5"},                             // empty grams
		{recErr, "1,2," + strings.Repeat("9", 33) + ",PL,4,5"}, // card too long
	}
	for _, tt := range tests {
		if err := tt.parse(tt.in); !errors.Is(err, ErrFormat) {
			t.Errorf("parsing %q: error %v, want ErrFormat", tt.in, err)
		}
	}
}

func helloErr(s string) error { _, err := ParseHello(s); return err }
func dumpErr(s string) error  { _, err := ParseDump(s); return err }
func gapErr(s string) error   { _, err := ParseGap(s); return err }
func endErr(s string) error   { _, err := ParseEnd(s); return err }
func errErr(s string) error   { _, err := ParseErr(s); return err }
func recErr(s string) error   { _, err := ParseRecord(s); return err }

func TestParseRecordsAndBatchSum(t *testing.T) {
	body := "R 1,1767225600,1111,PL,300,6;2,1767225700,2222,BA,50,5"
	recs, texts, err := ParseRecords(body)
	if err != nil || len(recs) != 2 || texts[1] != "2,1767225700,2222,BA,50,5" {
		t.Fatalf("ParseRecords(%q) = %v, %q, %v", body, recs, texts, err)
	}
	var s BatchSum
	for _, x := range texts {
		s.Add(x)
	}
	want := Checksum([]byte("1,1767225600,1111,PL,300,6\n2,1767225700,2222,BA,50,5\n"))
	if s.Sum() != want {
		t.Errorf("BatchSum = %08x, want %08x", s.Sum(), want)
	}
	if _, _, err := ParseRecords("R "); err == nil {
		t.Error("ParseRecords of an empty R line succeeded")
	}
}

// FuzzParseLine checks that the line parser never panics, only accepts
// lines whose checksum matches a clean body, and round-trips what it accepts.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		string(AppendLine(nil, "HELLO 1 K01 sim-1.0 1 1 2000")),
		string(AppendLine(nil, "R 1,1767225600,1111,PL,300,6;2,1767225700,2222,BA,50,5")),
		string(AppendLine(nil, "END 2 2 0badcafe")),
		string(AppendLine(nil, "GAP 1 100")),
		string(AppendLine(nil, "ERR EPOCH 2")),
		"123456789*cbf43926\r\n", "*", "", "\n", "x*zzzzzzzz\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		body, err := ParseLine(line)
		if err != nil {
			if !errors.Is(err, ErrCRC) && !errors.Is(err, ErrFormat) {
				t.Fatalf("ParseLine(%q): untyped error %v", line, err)
			}
			return
		}
		if strings.ContainsAny(body, "*\n\r") {
			t.Fatalf("ParseLine(%q) accepted body %q", line, body)
		}
		again, err := ParseLine(AppendLine(nil, body))
		if err != nil || again != body {
			t.Fatalf("round trip of %q: %q, %v", body, again, err)
		}
		// The message parsers must not panic on anything that framed well.
		switch Kind(body) {
		case "HELLO":
			ParseHello(body)
		case "DUMP":
			ParseDump(body)
		case "GAP":
			ParseGap(body)
		case "END":
			ParseEnd(body)
		case "ERR":
			ParseErr(body)
		case "R":
			ParseRecords(body)
		}
	})
}

// TestSpecExamples checks the example lines in PROTOCOL.md.
func TestSpecExamples(t *testing.T) {
	data, err := os.ReadFile("../PROTOCOL.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		for _, mark := range []string{"host:", "kiosk:"} {
			if rest, ok := strings.CutPrefix(line, mark); ok && strings.Contains(rest, "*") {
				n++
				body, err := ParseLine([]byte(strings.TrimSpace(rest)))
				if err != nil {
					t.Errorf("PROTOCOL.md example %q: %v", rest, err)
					continue
				}
				if Kind(body) == "R" {
					if _, _, err := ParseRecords(body); err != nil {
						t.Errorf("PROTOCOL.md example %q: %v", body, err)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d example lines in PROTOCOL.md", n)
	}
}

// FuzzRecordErrorsHideCards checks that no error about a record line
// repeats a field of it that could be a card number (5 or more bytes with a
// digit): any field of a hostile line may hold one.
func FuzzRecordErrorsHideCards(f *testing.F) {
	for _, s := range []string{
		"1,1777597212,8642-001234567890,PA,1830,18",
		"1,8642001234567890,8642001234567890,PA,1830,18",
		"8642001234567890",
		"1,1777597212,8642001234567890,86420012,1830,18",
		"1,1777597212,8642001234567890,PA,86420012345,18",
		"1,1777597212,8642001234567890,PA,1830,18,8642001234567890",
		"1,1777597212,8642001234567890,PA,1830,018;8642001234567890",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bodies := []string{"R " + s, s}
		for _, body := range bodies {
			_, _, err := ParseRecords(body)
			if err == nil {
				continue
			}
			for _, field := range strings.FieldsFunc(body, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
				if len(field) >= 5 && strings.ContainsAny(field, "0123456789") && strings.Contains(err.Error(), field) {
					t.Fatalf("ParseRecords(%q) error %q shows field %q", body, err, field)
				}
			}
		}
	})
}
