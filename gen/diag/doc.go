// Package diag collects problems found in a site's sources so that a build
// can report every one of them at once, each as "file:line: message", before
// it exits non-zero.
package diag
