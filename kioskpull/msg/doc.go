// Package msg is kioskpull's one catalogue of user-facing messages, in
// Simplified Chinese (the default: staff read Chinese) and English (when
// LC_ALL, LC_MESSAGES or LANG, the first of them that is set, starts with
// "en").
//
// A message is a Key with a zh-CN and an English fmt format; explicit
// argument indexes (%[2]s) let the two languages order arguments
// differently. Each part of kioskpull keeps its messages in its own file of
// this package (pull.go, …) and registers them from init with Register; a
// test checks that both languages use the same arguments.
//
// Errors meant for people are made with Errorf: Error() gives English (for
// logs and tests), Printer.Error renders the whole error chain in the
// printer's language, and errors.Is/As see the error arguments.
package msg
