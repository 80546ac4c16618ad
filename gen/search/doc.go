// Package search builds the site's full-text search index at build time, as
// static files that themes/default/static/js/search.js reads in the
// browser, with no server.
//
// Build takes one Doc per page (story, topic, dataset, album) and returns
// the files to write under the site root:
//
//	search/meta.json      document count, shard count, chunk size, build id
//	search/shard-X.bin    postings of the terms whose FNV-1a hash mod the
//	                      shard count is X (hex), then the heads [id, url,
//	                      title, kind, date, summary] of the ten documents
//	                      each of these terms ranks first on its own
//	search/docs-X.json    documents per*X … per*X+per-1: [url, title, kind,
//	                      date, summary, first ~1200 characters of text]
//
// Chinese text is indexed by character bigrams and unigrams, Latin, Greek
// and Cyrillic text by lower-cased words, digits by runs. A posting carries
// a quantised BM25 weight (title words count three times, tags twice), so
// the browser needs no document lengths; the postings of a term in more
// than about half the documents are an impact per document, two to a
// byte. A query fetches one shard per token, all at once, and shows its
// first page of results as soon as they are in when the heads of those
// results came with them (for a one-token query whenever the shard could
// carry the term's heads, most of the time for others); else it first
// fetches the chunks of the results without a head. It then fetches one
// chunk per result shown for the snippets. On the 10,000-story bench
// corpus a query fetches about 45–150 KB (gen/internal/searchbench).
//
// Normalize gives the tokens of a query exactly as search.js does; Index
// answers queries from the files as search.js does, for tests and the
// benchmark.
package search
