// Package search builds the site's full-text search index at build time: a
// set of small static files (a tiny meta.json, postings split into shards by
// a hash of the term, and the document table split into chunks) that
// themes/default/static/js/search.js reads in the browser, fetching only the
// shards and chunks one query needs. Chinese text is indexed by character
// bigrams (and unigrams, for one-character queries), Latin text by
// lower-cased words and digit runs; Normalize gives the tokens of a query the
// same way the script does.
package search
