// Package deploy publishes a built site folder to an S3-compatible bucket:
// incrementally (content hashes kept as object metadata and in a manifest
// object), in an order that never shows a visitor a page whose assets are
// missing (assets and data, then HTML, then feeds, sitemap and data.json,
// deletions last and only after every upload succeeded), and with the
// Content-Type and Cache-Control headers each kind of file needs.
package deploy
