// Package pipeline runs a build: load (content, theme, and each feature's
// sources), check (every error, with file and line), plan (package site:
// every page and file), render (package render, pages in parallel) and
// write (a fresh folder swapped in whole). The same input gives
// byte-identical output.
//
// Features (photo albums, datasets and charts, search) plug in through
// Feature. A Session keeps a site between builds for watch mode and renders
// again exactly the pages whose inputs changed.
package pipeline
