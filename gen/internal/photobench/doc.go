// Command photobench measures the photo pipeline: it generates N camera-sized
// JPEGs (default 200 of 4000×3000) in a temporary folder, processes them with
// a cold cache and again with the cache warm, and prints both wall times and
// their ratio. The target is a warm run of at most 1% of the cold one.
//
//	go run ./gen/internal/photobench [-n 200] [-w 4000] [-h 3000]
package main
