// Command searchbench measures the search index on the synthetic
// 10,000-story corpus (make bench-search): the time and memory Build takes,
// the size of the index, and, in Chromium, the bytes each of a set of
// realistic queries fetches and the time search.js takes to answer it.
package main
