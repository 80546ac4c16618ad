// Package markdown turns the Markdown stories editors write into HTML for the
// portal: GFM tables and footnotes, Chinese line wrapping without stray
// spaces, stable heading ids that keep Chinese text, and no raw HTML or
// script links on the page; what it leaves out comes back as a warning at
// its line. Hooks let the build replace fenced blocks (charts), inline
// figures ({{data: EXPR}}) and images with its own HTML, so that errors in
// them are reported with the file and line they come from. CheckLimits
// refuses, before goldmark sees it, a document that would make the parser
// work out of proportion to its size.
package markdown
