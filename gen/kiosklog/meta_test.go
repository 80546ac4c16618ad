package kiosklog

import (
	"strings"
	"testing"
)

func TestParseKiosks(t *testing.T) {
	good := "kiosks:\n  - id: K01\n    compound: 祥安东城国际花园\n    usb_serial: GJK-0001\n  - id: K03\n    compound: 白浪新苑\n    sample_name: true\n    community: 白浪社区\n    sample_community: true\n"
	ks, err := ParseKiosks([]byte(good), "kiosks.yaml")
	if err != nil || len(ks) != 2 || ks[1].Compound != "白浪新苑" || !ks[1].SampleName || ks[0].USBSerial != "GJK-0001" {
		t.Fatalf("ParseKiosks = %+v, %v", ks, err)
	}
	if ks[0].Community != "" || ks[0].SampleCommunity || ks[1].Community != "白浪社区" || !ks[1].SampleCommunity || ks[0].Line != 2 || ks[1].Line != 5 {
		t.Errorf("communities and lines: %+v, want none for K01 at line 2, 白浪社区 (示例) for K03 at line 5", ks)
	}
	ks, err = ParseKiosks([]byte("kiosks:\n  - id: K09\n    compound: \"\"\n    unnamed: true\n"), "kiosks.yaml")
	if err != nil || len(ks) != 1 || ks[0].Compound != "未命名小区 (K09)" || !ks[0].Unnamed {
		t.Errorf("unnamed kiosk: %+v, %v", ks, err)
	}
	tests := []struct{ in, want string }{
		{"kiosks:\n  - id: K01\n    compound: A\n  - id: K01\n    compound: B\n", `kiosks.yaml:4: kiosk "K01" already listed at line 2`},
		{"kiosks:\n  - id: K 1\n    compound: A\n", `kiosks.yaml:2: id "K 1" is not a valid kiosk id`},
		{"kiosks:\n  - id: K01\n", `kiosks.yaml:2: kiosk "K01" has no compound`},
		{"kiosks:\n  - id: K01\n    compound: A\n    colour: red\n", `kiosks.yaml:2: field colour not found`},
		{"other: 1\n", `kiosks.yaml:1: no kiosks listed`},
		{"kiosks:\n  - id: K01\n    compound: A\n    unnamed: true\n", `kiosks.yaml:2: kiosk "K01" has a compound name and unnamed: true`},
		{"kiosks:\n  - id: K01\n    compound: A\n    sample_community: true\n", `kiosks.yaml:2: kiosk "K01" has sample_community: true but no community`},
	}
	for _, tt := range tests {
		_, err := ParseKiosks([]byte(tt.in), "kiosks.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseKiosks(%q) error %v, want %q", tt.in, err, tt.want)
		}
	}
}
