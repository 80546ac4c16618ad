#!/bin/sh
# Regenerates the example kiosk logs in data/kiosk/ (示例数据): for each of
# the eight pilot kiosks, a simulated kiosk on a pseudo-terminal and a real
# pull from it, pseudonymised under a throwaway key that is deleted at the
# end (so nobody can link these pseudonyms to the simulator's card numbers).
# Run from the repository root: sh kioskpull/internal/kioskdata/make.sh
set -eu
out=data/kiosk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/kioskpull" ./kioskpull
kp="$tmp/kioskpull"
"$kp" keygen -key "$tmp/throwaway.key" >/dev/null
find "$out" -mindepth 1 -maxdepth 1 -type d -name 'K0*' -exec rm -rf {} +
rm -f "$out"/published-*.yaml

# pull ID SIM-FLAGS...: serve a simulated kiosk and pull it once.
pull() {
	id=$1; shift
	"$kp" sim -kiosk "$id" -path-file "$tmp/$id.path" "$@" >"$tmp/$id.sim.log" &
	pid=$!
	while [ ! -s "$tmp/$id.path" ]; do sleep 0.05; done
	"$kp" pull -port "$(cat "$tmp/$id.path")" -out "$out" -key "$tmp/throwaway.key" -wait 0 -progress off
	kill "$pid"; wait "$pid" 2>/dev/null || true
	rm -f "$tmp/$id.path"
}

# Six months of deposits, May to October 2026, growing as the campaign spreads.
common="-start 2026-05-01 -days 184"
pull K01 $common -seed 101 -records 2600 -households 380
pull K02 $common -seed 102 -records 1900 -households 260
pull K03 $common -seed 103 -records 1500 -households 180
pull K04 $common -seed 104 -records 1200 -households 150
# K05's ring buffer had already overwritten its first 150 records: a gap.
pull K05 $common -seed 105 -records 1400 -households 170 -ring-first 151
# K06's log was reset at the start of September: epoch 1, then epoch 2.
pull K06 -start 2026-05-01 -days 123 -seed 106 -records 600 -households 90
pull K06 -start 2026-09-01 -days 61 -seed 116 -records 350 -households 90 -epoch 2
# K07 is a small compound: few households, so some counts are suppressed.
pull K07 $common -seed 107 -records 420 -households 24
# K08 came in on a USB stick (GB18030 export) instead of the cable.
"$kp" sim -kiosk K08 $common -seed 108 -records 1100 -households 140 -export "$tmp/stick/K08.csv" -gb18030 >/dev/null
"$kp" import -out "$out" -key "$tmp/throwaway.key" "$tmp/stick"
# The import brought the last kiosk past the end of May to September, so it
# closed those months (published-*.yaml); October stays open (统计中) until
# K08 reports past its end, to show how an open month looks on the site.
