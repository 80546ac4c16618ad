// Package content loads a portal's editorial sources — content/site.yaml, the
// topic pages in content/topics/ and the stories in content/news/ — into
// typed values, and checks them: every problem is collected with its file and
// line so that an editor sees all of them at once.
package content
