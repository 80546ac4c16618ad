package pipeline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/content"
	"gongjian/gen/internal/hugeheap"
	"gongjian/gen/search"
)

// A record is what gen build keeps in the cache folder between runs: what
// every page was rendered from (its fingerprint, its inputs, what it read),
// the parsed stories, the features' state and the files written, with a
// stamp of every source file. The next build reads again only the files
// whose stamps changed, renders again only the pages their changes reach,
// and patches the output folder with the difference (see buildFrom). A
// record from another gen, for other options, for an output folder changed
// since, or damaged, is not used: the build is a full one.
type record struct {
	Gen string // output.Generation of the folder the build wrote
	// Heap is how much a build from a record grew the heap's resident
	// memory, which the next gives the heap in huge pages at once
	// (hugeheap.Grow); 0 after a full build, whose heap is larger than
	// the next one's.
	Heap    int64
	Scanned int64 // when the stamps were taken, Unix nanoseconds
	Stamps  map[string]stamp
	Stories []content.StoryRecord // by file
	stories []*content.Story      // made from Stories, when decoded
	Pages   map[string]*pageState // by output path
	Sums    map[string]uint64     // output path of every file → xxhash of its data
	Outputs []string              // of the plan, as Session.outputs
	Files   []string              // every file in the output folder, sorted
	Theme   uint64
	Site    uint64
	Lang    string
	Photos  []string // output paths of the photos published
	Index   []string // the files of the search index
	// IndexMemo is what the search index's Writer remembers of them
	// (search.Memory), as loaded; saving writes indexMemo.
	IndexMemo []byte
	Docs      uint64            // what it was made from (docsSum)
	Features  map[string][]byte // by featureName, as loaded
	Outside   map[string]uint64 // by featureName: each outsider's Version
	keep      []namedKeeper     // what saving writes for Features
	indexMemo *search.Memory
}

// namedKeeper is a feature whose state a record keeps, with its name.
type namedKeeper struct {
	name string
	k    keeper
}

// A stamp tells whether a file may have changed without reading it: its
// size, times, inode and mode, as a version-control index does. A symbolic
// link has the stamp of what it leads to, and its target.
type stamp struct {
	Size       int64
	Mod, Ctime int64 // nanoseconds
	Ino        uint64
	Mode       uint32
	Link       string
}

// recordRoots are the folders of a site that a build reads.
var recordRoots = []string{"content", "data", "themes"}

// errNoStamps says that the sources cannot be stamped reliably: a
// symbolic link to a folder hides its files from the walk.
var errNoStamps = errors.New("a symbolic link to a folder in the sources")

// stampSources stamps every file under the site's source folders.
func stampSources(src string) (map[string]stamp, error) {
	stamps := make(map[string]stamp, 1024)
	for _, root := range recordRoots {
		if err := stampTree(src, root, stamps); err != nil {
			return nil, err
		}
	}
	return stamps, nil
}

// racyWindow is how close to the moment a record's stamps were taken a
// file's times may be for the file to count as changed all the same: a
// file written in the same clock tick as the stamp, after it, has the same
// stamp. Coarse file systems tick every 2 seconds. (A variable for a test
// that checks the stamps alone.)
var racyWindow = 2 * time.Second

// changedSince lists the paths whose stamps differ between old (taken at
// scanned) and now, and the files whose times are too close to scanned to
// tell, sorted. Folders are listed without their slash. The list is
// never nil, even empty: to Session.Update nil means that anything may
// have changed.
func changedSince(old, now map[string]stamp, scanned int64) []string {
	out := []string{}
	racy := scanned - int64(racyWindow)
	for p, st := range now {
		o, ok := old[p]
		if !ok || o != st || st.Mod >= racy || st.Ctime >= racy {
			out = append(out, strings.TrimSuffix(p, "/"))
		}
	}
	for p := range old {
		if _, ok := now[p]; !ok {
			out = append(out, strings.TrimSuffix(p, "/"))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dropRecord removes the record of builds with options opt.
func dropRecord(opt Options) { os.Remove(recordFile(opt)) }

// recordMagic begins a record file; the format's version is in it.
const recordMagic = "gongjian build record 12\n"

// recordDir holds the records of builds of a site, and their lock.
func recordDir(opt Options) string { return filepath.Join(opt.CacheDir, "build") }

// recordFile is where the record of a build by this gen with options opt
// lives: one file for each gen and options, so that builds with other
// flags, or by two gens measured side by side, keep their own records.
func recordFile(opt Options) string {
	name := "record"
	if key, err := recordKey(opt); err == nil {
		name = fmt.Sprintf("record-%x", key[:8])
	}
	return filepath.Join(recordDir(opt), name)
}

// keptRecords is how many records of one site the cache folder keeps,
// the newest: records of other gens and other flags are rarely used again.
const keptRecords = 4

// pruneRecords removes all but the newest keptRecords records in dir.
func pruneRecords(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "record-*"))
	if len(files) <= keptRecords {
		return
	}
	mod := map[string]int64{}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			mod[f] = fi.ModTime().UnixNano()
		}
	}
	slices.SortFunc(files, func(a, b string) int { return cmp.Compare(mod[b], mod[a]) })
	for _, f := range files[keptRecords:] {
		os.Remove(f)
	}
}

// recordKey identifies the gen that writes a record and the options of the
// build: a record is used only by the same gen for the same options.
func recordKey(opt Options) ([32]byte, error) {
	id, err := genIdentity()
	if err != nil {
		return [32]byte{}, err
	}
	src, _ := filepath.Abs(opt.Src)
	out, _ := filepath.Abs(opt.Out)
	return sha256.Sum256(fmt.Appendf(nil, "%s\x00%q %q %q %q %v %v", id, src, out, opt.BaseURL, opt.Theme, opt.Drafts, opt.Strict)), nil
}

// genIdentity names this gen: its build information (module versions, Go
// version, settings, commit) and, when that does not pin the code (a build
// from a changed tree, a test binary), a hash of the executable.
var genIdentity = sync.OnceValues(func() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return exeHash()
	}
	id := info.String() + runtime.Version()
	revision, modified := "", true
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" || modified {
		h, err := exeHash()
		if err != nil {
			return "", err
		}
		id += "\n" + h
	}
	return id, nil
})

func exeHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// The executable is read whole before a build that is not from a
	// pinned commit (go run, a changed tree, GOFLAGS=-buildvcs=false):
	// BenchmarkExeHash hashed its 22 MB test binary in 10-12 ms with
	// xxhash against 23-34 ms with SHA-256. A collision only by design
	// would reuse a record, and whoever can replace gen needs none.
	h := xxhash.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%016x", h.Sum64()), nil
}

// A record file is the magic line, the key (32 bytes), the payload (see
// recordWriter), and the payload's length (8 bytes) and CRC-32C (4 bytes).
// The payload ends with Gen and a trailer that ends with Heap in 8 bytes,
// so that Heap is read before the payload is decoded (heapHint; see
// recordWriter.encodeEnd).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// saveRecord writes rec for the options opt, replacing the file whole.
func saveRecord(opt Options, rec *record) error {
	p := startRecord(opt, func() *record { return rec })
	p.complete(func(*record) {})
	return p.finish(rec.Gen, rec.Heap)
}

// A pendingRecord is a record being written, on another goroutine, to a
// temporary file beside the record it replaces: first its head (see
// encodeHead), while the build makes its search index, then the rest but
// the output folder's generation (rec.Gen is not used), which is known
// only once the folder is committed or patched, while that is done.
type pendingRecord struct {
	file string // the record's file
	done chan error
	rest chan func(*record) // what complete gives; nil to give up
	sent bool
	tmp  *os.File
	e    *recordWriter
	// later, if not nil, writes the record when finish is called.
	later func() error
}

var errGivenUp = errors.New("record: given up")

// startRecord starts writing the record head makes for the options opt;
// complete gives the rest. A site's first build creates nothing in the
// cache folder before it succeeds: when the record's folder does not
// exist yet, the record is written by finish.
func startRecord(opt Options, head func() *record) *pendingRecord {
	p := &pendingRecord{file: recordFile(opt), done: make(chan error, 1), rest: make(chan func(*record), 1)}
	if _, err := os.Stat(filepath.Dir(p.file)); err != nil {
		p.later = func() error { return p.write(opt, head) }
		p.done <- nil
		return p
	}
	go func() { p.done <- p.write(opt, head) }()
	return p
}

// complete gives the rest of the record: rest sets the fields encodeTail
// writes. It is called on the writing goroutine, once the head is
// written, and must read nothing the caller changes after complete.
func (p *pendingRecord) complete(rest func(*record)) {
	if !p.sent {
		p.sent = true
		p.rest <- rest
	}
}

func (p *pendingRecord) write(opt Options, head func() *record) error {
	key, err := recordKey(opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.file), 0o755); err != nil {
		return err
	}
	if p.tmp, err = os.CreateTemp(filepath.Dir(p.file), ".record-*"); err != nil {
		return err
	}
	// The encoder hands the file whole chunks: a buffer in between would
	// only copy them again.
	if _, err := p.tmp.Write(append([]byte(recordMagic), key[:]...)); err != nil {
		return err
	}
	p.e = newRecordWriter(p.tmp)
	rec := head()
	rec.encodeHead(p.e)
	rest := <-p.rest
	if rest == nil {
		return errGivenUp
	}
	rest(rec)
	rec.encodeTail(p.e)
	return p.e.err
}

// end ends the record's encoder, if it was started.
func (p *pendingRecord) end() error {
	if p.e == nil {
		return nil
	}
	return p.e.end()
}

// finish ends the record with gen, the generation of the output folder
// it describes, and heap (see record.Heap), and puts it in place.
func (p *pendingRecord) finish(gen string, heap int64) error {
	if !p.sent {
		p.abort()
		return errors.New("record: finished before it was complete")
	}
	err := <-p.done
	if err == nil && p.later != nil {
		err = p.later()
	}
	if p.tmp == nil {
		return err
	}
	defer os.Remove(p.tmp.Name())
	if err == nil {
		p.e.encodeEnd(gen, heap)
	}
	if eerr := p.end(); err == nil {
		err = eerr
	}
	if err == nil {
		var tail [12]byte
		binary.LittleEndian.PutUint64(tail[:8], uint64(p.e.n))
		binary.LittleEndian.PutUint32(tail[8:], p.e.sum)
		_, err = p.tmp.Write(tail[:])
	}
	if cerr := p.tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(p.tmp.Name(), p.file); err != nil {
		return err
	}
	pruneRecords(filepath.Dir(p.file))
	return nil
}

// abort waits for the record and throws it away.
func (p *pendingRecord) abort() {
	if !p.sent {
		p.sent = true
		p.rest <- nil
	}
	<-p.done
	p.end()
	if p.tmp != nil {
		p.tmp.Close()
		os.Remove(p.tmp.Name())
	}
}

// recordSize is the size of the record file for the options opt, 0 if
// there is none.
func recordSize(opt Options) int64 {
	fi, err := os.Stat(recordFile(opt))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// maxRecord bounds what is read of a record file.
const maxRecord = 4 << 30

// loadRecord reads the record for the options opt. It says why when there
// is none that can be used; a missing one is not worth saying.
//
// The record is read in place: the file is mapped (mapFile), and the
// search text and postings in it, most of its bytes, are used where they
// lie until release is called, which the caller must do once nothing of
// the record is in use. Bringing a 10,000-story site's 38 MB record into
// fresh memory with read took longer than the rest of loading it (make
// bench-site, after one story changed): mapped, its pages are the page
// cache's. Records are replaced whole, by rename, under the lock of the
// cache folder, so the file does not change while it is mapped; one cut
// short in place by hand meanwhile stops the build with a fault (SIGBUS),
// and the next build undoes the patch it may have begun (output.Patch).
func loadRecord(opt Options) (rec *record, release func(), why string) {
	f, err := os.Open(recordFile(opt))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, ""
	}
	if err != nil {
		return nil, nil, err.Error()
	}
	defer f.Close()
	key, err := recordKey(opt)
	if err != nil {
		return nil, nil, err.Error()
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err.Error()
	}
	head := len(recordMagic) + len(key)
	if fi.Size() < int64(head+12) || fi.Size() > maxRecord {
		return nil, nil, errDamaged.Error()
	}
	b, release, err := mapFile(f, int(fi.Size()))
	if err != nil {
		return nil, nil, err.Error()
	}
	// Decoding allocates most of the heap the build will have: as much
	// as the last build from a record ended with comes in huge pages
	// (make bench-site, after one story changed).
	hugeheap.Grow(heapHint(b, key))
	rec, why = decodeRecord(b, key)
	if rec == nil {
		release()
		return nil, nil, why
	}
	return rec, release, ""
}

// heapHint is the Heap of the record file b for the key, 0 if it is
// not one; it is read before the file is checked whole (a hint only).
func heapHint(b []byte, key [32]byte) int64 {
	payload, _, why := recordPayload(b, key)
	if why != "" || len(payload) < 8 {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(payload[len(payload)-8:]))
}

// recordPayload is the payload of the record file b for the key, and
// the CRC-32C the file gives for it; it says why not when b is not one
// of its length.
func recordPayload(b []byte, key [32]byte) (payload []byte, sum uint32, why string) {
	head := len(recordMagic) + len(key)
	if len(b) < head+12 || string(b[:len(recordMagic)]) != recordMagic {
		return nil, 0, "the record is not one this gen writes"
	}
	if !bytes.Equal(b[len(recordMagic):head], key[:]) {
		return nil, 0, "the record is another gen's, or for other options"
	}
	payload, tail := b[head:len(b)-12], b[len(b)-12:]
	if binary.LittleEndian.Uint64(tail[:8]) != uint64(len(payload)) {
		return nil, 0, errDamaged.Error()
	}
	return payload, binary.LittleEndian.Uint32(tail[8:]), ""
}

// decodeRecord decodes the record file b for the key; it says why not
// when it cannot.
func decodeRecord(b []byte, key [32]byte) (*record, string) {
	payload, sum, why := recordPayload(b, key)
	if why != "" {
		return nil, why
	}
	if crc32.Checksum(payload, castagnoli) != sum {
		return nil, errDamaged.Error()
	}
	rec, err := (&recordReader{b: payload}).record()
	if err != nil {
		return nil, err.Error()
	}
	return rec, ""
}

// readFile reads the first size bytes of f into memory.
func readFile(f *os.File, size int) (b []byte, release func(), err error) {
	b = make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}
