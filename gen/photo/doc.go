// Package photo turns the photos editors put in content/ into the files a
// phone should download: it loads album descriptions (album.yaml), refuses
// hostile or broken images before they cost memory, turns each photo upright
// by its EXIF orientation, resizes it to a few widths, and re-encodes it as a
// JPEG that carries no metadata at all, so no GPS position or camera serial
// number reaches the published site. Results are cached by content hash and
// processing parameters, so a rebuild with unchanged photos encodes nothing.
package photo
