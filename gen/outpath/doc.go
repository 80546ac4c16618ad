// Package outpath knows the paths a build writes. Check makes sure, before
// anything renders, that the files a build means to write can all be
// written side by side: no two claim the same path, none is a folder
// another needs, and every name fits a file system. Each problem is
// reported at the source that asked for the file, so that an editor learns
// which story or tag to change, not which write failed. Phase orders the
// files for a reader who meets the site while it changes, and
// ContentHashed tells the names gen gives by content (with the namers'
// WithHash and PhotoFile) from the stable ones.
package outpath
