package search

// RulesDocs are the pages of TestQueryRules, for the browser test of the
// same queries.
var RulesDocs = rulesDocs

// LongQuote is a quoted phrase longer than what the index stores of its
// page's text.
var LongQuote = longQuote
