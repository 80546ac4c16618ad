// Package photo turns the photos editors put in content/ into the files a
// phone should download: it loads album descriptions (album.yaml), refuses
// hostile or broken images before they cost memory, turns each photo upright
// by its EXIF orientation, resizes it to a few widths, and re-encodes it as a
// JPEG that carries no metadata at all, so no GPS position or camera serial
// number reaches the published site. Results are cached by content hash and
// processing parameters, so a rebuild with unchanged photos encodes nothing.
//
// A build uses it in three steps:
//
//	albums, warns, errs := photo.LoadAlbums(fsys, "content/photos", strict)
//	p := photo.NewProcessor(".cache/photos", photo.Options{Progress: os.Stderr})
//	var jobs []photo.Job
//	for _, a := range albums {
//		jobs = append(jobs, a.Jobs(fsys)...)
//	}
//	// A story's cover or inline image: a path relative to the story file.
//	path, err := photo.ResolveRef("content/news/x.md", "x-cover.jpg")
//	jobs = append(jobs, photo.Job{FS: fsys, Path: path, File: "content/news/x.md", Line: 5})
//	res, errs := p.ProcessAll(ctx, jobs) // res[i] belongs to jobs[i]
//	err = photo.WriteAll(out, res)       // img/<hash>-<width>.jpg, each once
//	img := res[0].Img("/", 960)          // src, srcset, width, height for <img>
package photo
