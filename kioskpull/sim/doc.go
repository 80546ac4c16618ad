// Package sim is a simulated smart sorting kiosk: it generates a realistic,
// seeded deposit log and serves it over any link (normally a
// pseudo-terminal) with version 1 of the kiosk link protocol, and can
// misbehave on demand: line noise, a hang-up after so many records or bytes,
// throttling to a baud rate, an epoch reset, a ring buffer that no longer
// holds the first records.
package sim
