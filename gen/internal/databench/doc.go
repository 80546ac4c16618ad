// Command databench measures dataset loading: it generates a kiosk-style CSV
// of a million deposits in memory, then times a bare encoding/csv pass over
// the bytes and the typed load of package dataset over the same bytes, and
// prints both in MB/s with their ratio (target: typed at most 2× the bare
// pass). Run it with `make bench-data` or `go run ./gen/internal/databench`.
package main
