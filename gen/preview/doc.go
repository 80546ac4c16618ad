// Package preview serves a site from memory for the editors' watch mode:
// pages are swapped in as the build session re-renders them, browsers are
// told over Server-Sent Events to reload (or only to swap the stylesheet),
// and a build error shows as an overlay over the last good page. The live
// reload script is added to pages as they are served; it never reaches
// the output of gen build.
package preview
