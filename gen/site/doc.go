// Package site is the model of a site: what its pages are, what each shows,
// and the address of each kind of page. It reads nothing from disk and
// renders nothing; package render turns its pages into HTML and package
// pipeline runs the whole build.
//
// The pages a site has are planned in a fixed order (a Plan): the pages
// made from stories and topics here, then those each feature adds (albums,
// datasets, search), then the feed, the sitemap and the theme's files.
package site
