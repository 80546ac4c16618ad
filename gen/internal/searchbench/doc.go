// Command searchbench measures site search (make bench-search): a query set
// kept in queries.txt, with the expected results, run on a generated corpus
// of 10,000 stories with distinct vocabularies (corpus.go) and on the
// example site (example.txt), in headless Chromium with an empty cache per
// cold query. It prints the index's build time, size and file count, bytes
// and time per query, and how many queries of each kind found what they
// should; with Pagefind installed (see pagefind.go) the same queries run
// on Pagefind's index of the same pages, in a column beside ours.
package main
