// Package store keeps pulled kiosk records on disk under data/kiosk/ in the
// layout of package kiosklog: it commits verified batches durably (temp
// file, fsync, rename, fsync of the folder), skips records it already holds,
// and tells a pull where to resume for a kiosk's log epoch.
package store
