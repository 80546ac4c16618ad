package search

// RulesDocs are the pages of TestQueryRules, for the browser test of the
// same queries.
var RulesDocs = rulesDocs
