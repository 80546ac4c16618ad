// Package searchtest serves a built search index together with the theme's
// real search page, and drives the page in headless Chromium: the browser
// tests of package search and gen/internal/searchbench use it, so that both
// exercise the same HTML, CSS and search.js the site publishes.
package searchtest
