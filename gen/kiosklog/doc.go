// Package kiosklog defines the smart sorting kiosk's deposit record, its
// categories and its on-disk CSV layout under data/kiosk/, and the aggregates
// the site publishes from it. Both commands import it, which is why it sits
// under gen/ beside diag: kioskpull writes the store through it, and the site
// generator reads it with ReadStore, ReadKiosks, ReadPulls (or Load) and
// turns the records into publishable tables with Aggregate, which
// suppresses small household counts. Household counts are published only
// for closed months, from the publication ledger (published-MONTH.yaml, see
// Closable, Freeze and ReadPublished), so that differencing two builds
// reveals nothing.
package kiosklog
