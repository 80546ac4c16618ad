// Package search builds the site's full-text search index at build time, as
// static files that themes/default/static/js/search.js reads in the
// browser, with no server.
//
// Build takes one Doc per page (story, topic, dataset, album) and returns
// the files to write under the site root. Every file but meta.json is
// named after content: the shards, pieces, document chunks and text packs fall
// into at most 512 groups of shards and 128 of each other kind (file X
// into group X mod their number)
// and are named after a hash of their group's contents, shard-X.HASH.bin,
// which meta.json lists per group, so that the browser computes any name
// from meta.json alone and an edit renames only the files of the groups
// it changes. Every .bin file but the text packs and the pairs file is
// raw DEFLATE, which the browser inflates with
// DecompressionStream; texts are coded by the site's character
// frequencies (textcode.go):
//
//	search/meta.json   document count, shard count, piece size and count,
//	                   chunk size, the hashes that name the other files
//	                   (below), id ranges of each kind, the topics, the
//	                   characters of the texts' code and a bitmap of the
//	                   Han characters the site contains: its size does not
//	                   depend on the number of documents or files
//	search/shard-X.bin postings of the terms whose FNV-1a hash mod the shard
//	                   count is X (hex), each with the documents that have
//	                   the term in their title (and the title's length);
//	                   the shard count follows the postings' size, so that
//	                   a shard averages about 4 KiB before compression; it
//	                   holds the first 16 KiB of a term's postings and
//	                   title postings, the rest is in pieces:
//	search/more-N.bin  piece k ≥ 1 (16 KiB each) of the long postings of
//	                   the terms of shard X, N = X × meta's "more" + k - 1,
//	                   fetched with the shard for a query with such a term:
//	                   no file grows with the corpus, only the number of
//	                   files a common term needs (a term in most documents
//	                   has about N/2 bytes of postings)
//	search/docs-X.bin  the heads [url, title, date, pack, offset, length] of
//	                   documents per*X … per*X+per-1
//	search/text-X.bin  each document's summary (a line) and the start of its
//	                   text (ending in … when the text goes on; quoted
//	                   phrases are checked in it), coded on its own, so
//	                   that a result's snippet is one HTTP range request (a
//	                   server without ranges sends the whole pack)
//	search/pairs.bin   every pair of characters of the bitmap that the site
//	                   has, Rice-coded (pairs.go), then a set of hashes of
//	                   its words (words.go), loaded with meta.json
//	search/t2s.bin     traditional to simplified characters (OpenCC), loaded
//	                   only for a query with a character the site lacks
//
// Chinese text is indexed by character bigrams and unigrams after folding
// traditional characters to simplified ones, Latin, Greek and Cyrillic text
// by lower-cased words, digits by runs. A posting carries a quantised BM25
// weight (title words count three times, tags twice), so the browser needs
// no document lengths; the postings of a term in more than about half the
// documents are an impact per document, two to a byte. Documents are
// ordered by kind, then newest first, so a kind is a range of ids.
//
// A query is split into terms: words, and stretches of Chinese characters
// (quoted text is one exact term). A term no page contains is reported
// and left out; of the rest every word must match and a page's character
// pairs must cover more than half of the Chinese characters; a page with
// every pair of the query ranks twice as high, and one whose title has the
// whole query up to twice as high again. A stretch with one mistyped
// character, both of whose pairs the site lacks, is searched as corrected
// (近似结果, 你是不是要找; typo.go). When no pair is on the site at all,
// single characters are searched (近似结果). Characters missing from
// the bitmap and pairs missing from the pairs file rule out their tokens
// before any shard is fetched, as do words missing from the word list,
// and a query whose remaining pairs cannot cover it fetches none.
//
// Parse gives the runs and tokens of a query exactly as search.js does;
// Index answers queries from the files as search.js does, for tests and
// the benchmark.
package search
