//go:build race

package hugeheap

// raceDetector is whether the test runs under the race detector, whose
// shadow memory the heap's pages fault in beside them.
const raceDetector = true
