package search

// RulesDocs are the pages of TestQueryRules, for the browser test of the
// same queries.
var RulesDocs = rulesDocs

// LongQuote is a quoted phrase longer than what the index stores of its
// page's text.
var LongQuote = longQuote

// TextCode is the code of texts by the table of the characters of from,
// for the test that search.js decodes it alike.
func TextCode(from, texts []string) (table string, codes [][]byte) {
	chars, rank := textTableOf(from)
	for _, s := range texts {
		codes = append(codes, appendTextCode(nil, s, rank))
	}
	return string(chars), codes
}

// OpenFiles opens a fresh Index on files, as a browser with an empty
// cache, and says what it fetched.
var OpenFiles = openFiles

// SmallDocs are n short stories of words from a fixed pool.
var SmallDocs = smallDocs

// CutPieces makes Build cut postings into pieces of n bytes until the
// test ends.
func CutPieces(t interface{ Cleanup(func()) }, n int) {
	old := pieceBytes
	pieceBytes = n
	t.Cleanup(func() { pieceBytes = old })
}
