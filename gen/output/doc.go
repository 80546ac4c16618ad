// Package output writes a built site into a fresh folder beside the
// published one and swaps it in whole, so that readers and editors never see
// half a build, a failed build leaves the previous site exactly as it was, and
// files a build no longer produces disappear.
package output
