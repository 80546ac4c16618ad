// Package sitetest holds the whole-site browser tests: it builds the
// repository's example site (content/, data/, themes/) once, serves it on
// 127.0.0.1, and visits one page of every type at a phone width (375 px)
// and a desktop width (1280 px) in Debian's Chromium through the harness in
// gongjian/gen/internal/browser. Each visit must show no console error, no
// failed request, no request to another host, no sideways scrolling, alt
// text on every image, headings in order, lang="zh-CN", and a main menu that
// the keyboard reaches with visible focus. The home page keeps to its byte
// budget and no page without a chart loads ECharts. Screenshots of every
// page type at both widths go to screenshots/ at the repository root
// (git-ignored) for people to look at. The package has no non-test code.
package sitetest
