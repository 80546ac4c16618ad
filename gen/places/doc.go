// Package places gives each pilot compound of the garbage-sorting kiosks
// a page of its own (/places/SLUG/): its kiosk figures month by month and
// by category, the rows other datasets hold about it, the stories that
// mention it or carry its name as a tag, and the albums that show it; and
// it puts a list of links to those pages (the picker) on the kiosk topic's
// page.
//
// The set of compounds is the data's: one per compound of the kiosk
// datasets (package kioskdata), whose kiosk-freshness table lists every
// kiosk with its compound. A page's slug is the lower-cased id of the
// compound's first kiosk (k01), which stays when a sample name is replaced
// by the real one. Every figure comes from the rows of the published kiosk
// datasets, so a figure kioskdata withholds (fewer households than the
// threshold, secondary suppression, a month not closed yet) is withheld
// here too, with the reason the dataset gives in its note column; totals
// add up published rows only. Nothing here decides what may be shown.
//
// A page also sums up the residents' requests (the requests dataset):
// collected, resolved, the resolution rate and the median days, by
// category. The ledger is registered by village or community (its place
// column), not by compound, so a page counts the requests of the
// community kiosks.yaml places the compound in (community:, checked
// against the values of that column) and says so; should the ledger ever
// carry a compound column, a page counts the compound's own rows instead.
// A rate or median from fewer requests than the kiosk data's small-count
// threshold is withheld, by the same rule (kiosklog.TooFew).
package places
